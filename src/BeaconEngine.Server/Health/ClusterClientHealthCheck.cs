using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BeaconEngine.Server.Health;

/// <summary>A front-end's readiness: its Orleans client reaches the cluster, and the cluster has an active silo.</summary>
public sealed class ClusterClientHealthCheck(IClusterClient client) : IHealthCheck
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken).WaitAsync(Wait, cancellationToken);
            return silos.Count > 0
                ? HealthCheckResult.Healthy($"The cluster client is connected; {silos.Count} silo(s) active.")
                : HealthCheckResult.Unhealthy("The cluster client is connected, but no silo is active.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The cluster client does not reach the cluster: {ex.Message}");
        }
    }
}
