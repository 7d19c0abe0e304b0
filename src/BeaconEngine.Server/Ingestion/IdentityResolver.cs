using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Maps beacon identities to their shoppers, a batch's worth at once, caching answers on this node: gateways
/// report the same phones many times a second, and most identities they hear belong to no shopper at all.
/// The cache is bounded and never empties at once (<see cref="GenerationalCache{TValue}"/>).
/// </summary>
public sealed class IdentityResolver(IGrainFactory grains, TimeProvider time)
{
    /// <summary>Identities this node keeps answers for, at most.</summary>
    public const int MaxEntries = 200_000;

    private static readonly TimeSpan KnownFor = TimeSpan.FromMinutes(1);

    // Short, so a shopper who enrols on another node is recognised within seconds.
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);

    private readonly GenerationalCache<Entry> _entries = new(MaxEntries);

    public async ValueTask<string?> ResolveAsync(string identityKey)
    {
        var now = time.GetTimestamp();
        if (TryKnown(identityKey, now, out var shopperId))
        {
            return shopperId;
        }

        shopperId = await grains.GetGrain<IBeaconIdentityGrain>(identityKey).GetShopperId();
        _entries.Set(identityKey, new Entry(shopperId, now));
        return shopperId;
    }

    /// <summary>
    /// The shopper of each identity (null for none). What the cache does not know is asked of the identities'
    /// grains side by side, so a batch waits for one round of lookups, not one per identity.
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<string, string?>> ResolveAllAsync(IEnumerable<string> identityKeys)
    {
        var now = time.GetTimestamp();
        var answers = new Dictionary<string, string?>(StringComparer.Ordinal);
        List<string>? unknown = null;
        foreach (var key in identityKeys)
        {
            if (answers.ContainsKey(key))
            {
                continue;
            }

            // An unknown identity's place is held (null) until its grain answers, so it is asked once.
            if (!TryKnown(key, now, out var shopperId))
            {
                (unknown ??= []).Add(key);
            }

            answers[key] = shopperId;
        }

        if (unknown is null)
        {
            return answers;
        }

        var looked = await Task.WhenAll(unknown.Select(key => grains.GetGrain<IBeaconIdentityGrain>(key).GetShopperId()));
        for (var i = 0; i < unknown.Count; i++)
        {
            answers[unknown[i]] = looked[i];
            _entries.Set(unknown[i], new Entry(looked[i], now));
        }

        return answers;
    }

    private bool TryKnown(string identityKey, long now, out string? shopperId)
    {
        var known = _entries.TryGet(identityKey, out var entry) && time.GetElapsedTime(entry.At, now) < (entry.ShopperId is null ? UnknownFor : KnownFor);
        shopperId = entry.ShopperId;
        return known;
    }

    /// <summary>Drops what this node knows of an identity (after enrolment or erasure).</summary>
    public void Forget(string identityKey) => _entries.Remove(identityKey);

    private readonly record struct Entry(string? ShopperId, long At);
}
