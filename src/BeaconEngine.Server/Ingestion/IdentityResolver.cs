using System.Collections.Concurrent;
using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Maps a beacon identity to its shopper, caching answers on this node: gateways report the same
/// phones many times a second, and most identities they hear belong to no shopper at all.
/// </summary>
public sealed class IdentityResolver(IGrainFactory grains, TimeProvider time)
{
    private const int MaxEntries = 200_000;
    private static readonly TimeSpan KnownFor = TimeSpan.FromMinutes(1);

    // Short, so a shopper who enrols on another node is recognised within seconds.
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async ValueTask<string?> ResolveAsync(string identityKey)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(identityKey, out var entry)
            && time.GetElapsedTime(entry.At, now) < (entry.ShopperId is null ? UnknownFor : KnownFor))
        {
            return entry.ShopperId;
        }

        var shopperId = await grains.GetGrain<IBeaconIdentityGrain>(identityKey).GetShopperId();
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
