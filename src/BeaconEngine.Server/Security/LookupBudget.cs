using System.Collections.Concurrent;

namespace BeaconEngine.Server.Security;

/// <summary>
/// A token bucket per caller for lookups that may find nothing: a lookup takes a token before it runs and
/// gives it back if it found something, so only lookups of what nobody holds are paced, and lookups in
/// flight can never overdraw a bucket. Memory is bounded: past <see cref="MaxCallers"/> the buckets start again.
/// </summary>
public sealed class LookupBudget<TCaller>(RateLimit limit, TimeProvider time)
    where TCaller : notnull
{
    public const int MaxCallers = 100_000;

    private readonly ConcurrentDictionary<TCaller, Bucket> _buckets = new();

    /// <summary>Takes a token for a lookup; false (and no lookup should run) when the caller's bucket is empty.</summary>
    public bool TryTake(TCaller caller)
    {
        if (_buckets.Count >= MaxCallers)
        {
            _buckets.Clear();
        }

        return _buckets.GetOrAdd(caller, _ => new Bucket(limit.Burst, time.GetTimestamp())).TryTake(limit, time);
    }

    /// <summary>Gives the token back: the lookup found something, so it does not count against the caller.</summary>
    public void GiveBack(TCaller caller)
    {
        if (_buckets.TryGetValue(caller, out var bucket))
        {
            bucket.GiveBack(limit);
        }
    }

    private sealed class Bucket(double tokens, long refilledAt)
    {
        private readonly Lock _lock = new();
        private double _tokens = tokens;
        private long _refilledAt = refilledAt;

        public bool TryTake(RateLimit limit, TimeProvider time)
        {
            lock (_lock)
            {
                var now = time.GetTimestamp();
                _tokens = Math.Min(limit.Burst, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * limit.PermitsPerSecond));
                _refilledAt = now;
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens--;
                return true;
            }
        }

        public void GiveBack(RateLimit limit)
        {
            lock (_lock)
            {
                _tokens = Math.Min(limit.Burst, _tokens + 1);
            }
        }
    }
}
