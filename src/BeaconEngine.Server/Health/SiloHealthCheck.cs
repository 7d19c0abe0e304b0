using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BeaconEngine.Server.Health;

/// <summary>Ready while this node's silo is an active member of its cluster (not joining, not shutting down, not declared dead).</summary>
public sealed class SiloHealthCheck(ILocalSiloDetails silo, IClusterMembershipService membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"Silo {silo.SiloAddress} is active.")
            : HealthCheckResult.Unhealthy($"Silo {silo.SiloAddress} is {status}, not active."));
    }
}
