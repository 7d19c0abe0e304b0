using System.Collections.Concurrent;
using System.Net;

namespace BeaconEngine.Server.Security;

/// <summary>
/// Keeps a flood of well-formed but unissued keys from costing lookups: a key found to be issued to nobody
/// is remembered (its hash, in a set of bounded size), and each address may make only so many such lookups
/// (<see cref="RateLimitOptions.UnknownKeys"/>) before its keys are refused with 429 without one.
/// </summary>
public sealed class UnknownKeyGuard(RateLimitOptions limits, TimeProvider time)
{
    /// <summary>At most this many hashes are remembered; past it the set starts again, so memory stays bounded.</summary>
    public const int MaxRemembered = 10_000;

    // A remembered hash is forgotten after a while, so the set never serves an answer for long.
    private static readonly TimeSpan RememberedFor = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, long> _unknown = new(StringComparer.Ordinal);
    private readonly LookupBudget<IPAddress> _lookups = new(limits.UnknownKeys, time);

    /// <summary>Whether the hash is one found to be issued to nobody.</summary>
    public bool IsKnownUnknown(string hash) =>
        _unknown.TryGetValue(hash, out var at) && time.GetElapsedTime(at) < RememberedFor;

    /// <summary>Takes a lookup from <paramref name="address"/>'s budget; false when it has none left.</summary>
    public bool TryStartLookup(IPAddress address) => _lookups.TryTake(address);

    /// <summary>The lookup found the key: it costs the address nothing.</summary>
    public void Found(IPAddress address) => _lookups.GiveBack(address);

    /// <summary>The lookup found nothing: the hash is remembered, and the address keeps the cost.</summary>
    public void NotFound(string hash)
    {
        if (_unknown.Count >= MaxRemembered)
        {
            _unknown.Clear();
        }

        _unknown[hash] = time.GetTimestamp();
    }
}
