namespace BeaconEngine.Gateway.Uplinks;

/// <summary>
/// Exponential backoff with jitter: the n-th retry waits between half and all of min(max, initial × 2ⁿ), so many
/// gateways coming back after a store-wide outage do not all knock at the same moment.
/// </summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, Random random)
    {
        var ceiling = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromTicks((long)(ceiling * (0.5 + (0.5 * random.NextDouble()))));
    }
}
