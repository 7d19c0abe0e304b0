using System.Collections.Concurrent;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Maps a beacon identity to its shopper, caching answers on this node: gateways report the same
/// phones many times a second, and most identities they hear belong to no shopper at all. Lookups that
/// find nobody are paced per store (<see cref="RateLimitOptions.UnknownIdentities"/>): past the pace, an
/// identity not already known is dropped without a lookup, so a flood of strangers costs neither grain
/// activations nor memory. The cache is bounded.
/// </summary>
public sealed class IdentityResolver(IGrainFactory grains, TimeProvider time, RateLimitOptions limits)
{
    /// <summary>At most this many answers are cached; past it the cache starts again.</summary>
    public const int MaxEntries = 50_000;

    private static readonly TimeSpan KnownFor = TimeSpan.FromMinutes(1);

    // Short, so a shopper who enrols on another node is recognised within seconds.
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LookupBudget<string> _unknownLookups = new(limits.UnknownIdentities, time);

    /// <summary>The shopper holding the identity, or null. <paramref name="storeId"/>, when given, paces lookups that find nobody.</summary>
    public async ValueTask<string?> ResolveAsync(string identityKey, string? storeId = null)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(identityKey, out var entry)
            && time.GetElapsedTime(entry.At, now) < (entry.ShopperId is null ? UnknownFor : KnownFor))
        {
            return entry.ShopperId;
        }

        if (storeId is not null && !_unknownLookups.TryTake(storeId))
        {
            return entry.ShopperId;
        }

        var shopperId = await grains.GetGrain<IBeaconIdentityGrain>(identityKey).GetShopperId();
        if (shopperId is not null && storeId is not null)
        {
            _unknownLookups.GiveBack(storeId);
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[identityKey] = new Entry(shopperId, now);
        return shopperId;
    }

    /// <summary>Drops what this node knows of an identity (after enrolment or erasure).</summary>
    public void Forget(string identityKey) => _entries.TryRemove(identityKey, out _);

    private readonly record struct Entry(string? ShopperId, long At);
}
