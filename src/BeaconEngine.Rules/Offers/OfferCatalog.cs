using System.Collections.Frozen;

namespace BeaconEngine.Rules.Offers;

/// <summary>
/// A store's offers, indexed by zone once when the catalog changes, so an event only looks at the
/// offers of its own zone. Immutable; build a new one to change it.
/// </summary>
public sealed class OfferCatalog
{
    private static readonly Offer[] None = [];
    private readonly FrozenDictionary<string, Offer[]> _byZone;

    public OfferCatalog(IEnumerable<Offer> offers, long version = 0)
    {
        var all = offers.ToArray();
        Count = all.Length;
        Version = version;
        _byZone = all
            .SelectMany(o => o.ZoneIds.Distinct(StringComparer.Ordinal).Select(z => (Zone: z, Offer: o)))
            .GroupBy(p => p.Zone, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.Select(p => p.Offer)
                    .OrderByDescending(o => o.Priority)
                    .ThenByDescending(o => o.Discount.Value)
                    .ThenBy(o => o.OfferId, StringComparer.Ordinal)
                    .ToArray(),
                StringComparer.Ordinal);
    }

    public static OfferCatalog Empty { get; } = new([]);

    public int Count { get; }

    /// <summary>Changes whenever the store's offers change.</summary>
    public long Version { get; }

    /// <summary>The offers of a zone, best first.</summary>
    public ReadOnlySpan<Offer> InZone(string zoneId) =>
        _byZone.TryGetValue(zoneId, out var offers) ? offers : None;
}
