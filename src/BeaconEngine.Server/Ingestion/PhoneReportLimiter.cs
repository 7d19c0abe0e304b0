using System.Threading.RateLimiting;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// How often one shopper's phone may report, over HTTP and the hub alike (a token bucket per shopper, on this
/// node): ranging gives a reading a second, so a phone that reports far more often is broken or hostile.
/// </summary>
public sealed class PhoneReportLimiter(RateLimitOptions limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(shopperId =>
        RateLimitPartition.GetTokenBucketLimiter(shopperId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.PhoneReports.Burst,
            TokensPerPeriod = limits.PhoneReports.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public bool TryAcquire(string shopperId, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(shopperId);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
