using System.Collections.Frozen;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Offers;

namespace BeaconEngine.Grains.Stores;

/// <summary>
/// A store snapshot prepared for the hot path: gateways by id, the offers compiled for the rules core,
/// and the zone resolver's effective options and zone graph.
/// </summary>
public sealed class StoreView
{
    public StoreView(StoreSnapshot snapshot, ZoneResolverOptions proximityDefaults)
    {
        ResolverOptions = ProximitySettingsMapper.Apply(proximityDefaults, snapshot.Layout.Proximity);
        ZoneGraph = new ZoneGraph(snapshot.Layout.Zones.Select(z => (z.Id, (IEnumerable<string>)z.Neighbors)));
        Snapshot = snapshot;
        Gateways = snapshot.Gateways.ToFrozenDictionary(g => g.GatewayId, StringComparer.Ordinal);
        ZoneIds = snapshot.Layout.Zones.Select(z => z.Id).ToFrozenSet(StringComparer.Ordinal);
        Offers = snapshot.Offers.ToFrozenDictionary(o => o.OfferId, StringComparer.Ordinal);
        Catalog = new OfferCatalog(snapshot.Offers.Select(ToRulesOffer), snapshot.Version);
    }

    public StoreSnapshot Snapshot { get; }

    public string StoreId => Snapshot.StoreId;

    public long Version => Snapshot.Version;

    public long LayoutVersion => Snapshot.LayoutVersion;

    public ZoneResolverOptions ResolverOptions { get; }

    public ZoneGraph ZoneGraph { get; }

    public FrozenDictionary<string, GatewayDefinition> Gateways { get; }

    public FrozenSet<string> ZoneIds { get; }

    public FrozenDictionary<string, OfferDefinition> Offers { get; }

    public OfferCatalog Catalog { get; }

    public static Offer ToRulesOffer(OfferDefinition offer) => new()
    {
        OfferId = offer.OfferId,
        BrandId = offer.BrandId,
        ZoneIds = offer.ZoneIds,
        Discount = new Discount(
            string.Equals(offer.DiscountKind, "percent", StringComparison.OrdinalIgnoreCase) ? DiscountKind.Percent : DiscountKind.Amount,
            offer.DiscountValue),
        MinDwell = TimeSpan.FromSeconds(offer.MinDwellSeconds),
        ValidFrom = offer.ValidFrom,
        ValidTo = offer.ValidTo,
        MaxPerShopper = offer.MaxPerShopper,
    };
}
