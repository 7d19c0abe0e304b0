using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Maps beacon identities to their shoppers, a batch's worth at once, caching answers on this node: gateways
/// report the same phones many times a second, and most identities they hear belong to no shopper at all.
/// The cache is bounded and never empties at once (<see cref="GenerationalCache{TKey, TValue}"/>), and holds each
/// answer compactly: the identity as its 20 bytes, the shopper's id packed (<see cref="HeldShopperId"/>), about 100 B
/// an answer where two strings and the entry took about 260 B. Lookups that
/// find nobody are paced per store (<see cref="RateLimitOptions.UnknownIdentities"/>): past the pace, an
/// identity not already known is dropped without a lookup, so a flood of strangers costs neither grain
/// activations nor memory.
/// </summary>
public sealed class IdentityResolver(IGrainFactory grains, TimeProvider time, RateLimitOptions limits)
{
    /// <summary>Identities this node keeps answers for, at most.</summary>
    public const int MaxEntries = 200_000;

    // Identities are never handed out twice, so a held identity's answer changes only at the shopper's erasure:
    // this node forgets it at once (Forget), and on other nodes the erased shopper's grain uses none of the
    // sightings routed to it meanwhile. The answer is kept long, so the identity's grain need not stay live.
    private static readonly TimeSpan KnownFor = TimeSpan.FromMinutes(10);

    // Short, so a shopper who enrols on another node is recognised within seconds.
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);

    private readonly GenerationalCache<BeaconIdentity, Entry> _entries = new(MaxEntries);
    private readonly LookupBudget<string> _unknownLookups = new(limits.UnknownIdentities, time);

    /// <summary>The shopper holding the identity, or null. <paramref name="storeId"/>, when given, paces lookups that find nobody.</summary>
    public async ValueTask<string?> ResolveAsync(BeaconIdentity identity, string? storeId = null)
    {
        var now = time.GetTimestamp();
        if (TryKnown(identity, now, out var shopperId))
        {
            return shopperId;
        }

        if (storeId is not null && !_unknownLookups.TryTake(storeId))
        {
            return shopperId;
        }

        shopperId = await grains.GetGrain<IBeaconIdentityGrain>(identity.Key).GetShopperId();
        if (shopperId is not null && storeId is not null)
        {
            _unknownLookups.GiveBack(storeId);
        }

        _entries.Set(identity, new Entry(HeldShopperId.From(shopperId), now));
        return shopperId;
    }

    /// <summary>
    /// The shopper of each identity (null for none). What the cache does not know is asked of the identities'
    /// grains side by side, so a batch waits for one round of lookups, not one per identity; past the store's
    /// pace for lookups that find nobody, the rest are not asked (null).
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<BeaconIdentity, string?>> ResolveAllAsync(IEnumerable<BeaconIdentity> identities, string? storeId = null)
    {
        var now = time.GetTimestamp();
        var answers = new Dictionary<BeaconIdentity, string?>();
        List<BeaconIdentity>? unknown = null;
        foreach (var key in identities)
        {
            if (answers.ContainsKey(key))
            {
                continue;
            }

            // An unknown identity's place is held (null) until its grain answers, so it is asked once.
            if (!TryKnown(key, now, out var shopperId) && (storeId is null || _unknownLookups.TryTake(storeId)))
            {
                (unknown ??= []).Add(key);
            }

            answers[key] = shopperId;
        }

        if (unknown is null)
        {
            return answers;
        }

        var looked = await Task.WhenAll(unknown.Select(key => grains.GetGrain<IBeaconIdentityGrain>(key.Key).GetShopperId()));
        for (var i = 0; i < unknown.Count; i++)
        {
            answers[unknown[i]] = looked[i];
            _entries.Set(unknown[i], new Entry(HeldShopperId.From(looked[i]), now));
            if (looked[i] is not null && storeId is not null)
            {
                _unknownLookups.GiveBack(storeId);
            }
        }

        return answers;
    }

    private bool TryKnown(BeaconIdentity identity, long now, out string? shopperId)
    {
        // An answer past its time is still given (and used when the store's pace allows no new lookup).
        var held = _entries.TryGet(identity, out var entry);
        shopperId = entry.Shopper.ToId();
        return held && time.GetElapsedTime(entry.At, now) < (shopperId is null ? UnknownFor : KnownFor);
    }

    /// <summary>Drops what this node knows of an identity (after enrolment or erasure).</summary>
    public void Forget(BeaconIdentity identity) => _entries.Remove(identity);

    /// <inheritdoc cref="Forget(BeaconIdentity)"/>
    public void Forget(BeaconAdvertisement advertisement) => Forget(new BeaconIdentity(advertisement.Uuid, advertisement.Major, advertisement.Minor));

    private readonly record struct Entry(HeldShopperId Shopper, long At);
}
