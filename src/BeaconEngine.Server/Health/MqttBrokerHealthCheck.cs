using BeaconEngine.Server.Ingestion;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BeaconEngine.Server.Health;

/// <summary>
/// The MQTT broker, when one is configured: degraded (not unready) while this node is not subscribed, since
/// HTTP uplinks and every other route still work; the ingestion service keeps reconnecting on its own.
/// </summary>
public sealed class MqttBrokerHealthCheck(IngestionMetrics ingestion) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ingestion.MqttConnected
            ? HealthCheckResult.Healthy("Subscribed to the MQTT broker.")
            : new HealthCheckResult(context.Registration.FailureStatus, "Not subscribed to the MQTT broker; reconnecting."));
}
