using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Tests;

/// <summary>A store's view and a shopper's state built as plain objects, for the shopper's classes tested without a host.</summary>
internal static class PlainStore
{
    public const string StoreId = "store-plain";

    public static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static OfferDefinition Offer(string offerId = "offer-1", long maxCoupons = 10) => new()
    {
        OfferId = offerId,
        BrandId = "brand-a",
        StoreId = StoreId,
        ZoneIds = ["dairy"],
        Title = "20% off yoghurt",
        DiscountKind = "percent",
        DiscountValue = 20,
        MaxCoupons = maxCoupons,
        HoldoutShare = 0,
        Category = "dairy",
    };

    public static StoreView View(params OfferDefinition[] offers) => new(
        new StoreSnapshot(
            StoreId,
            new StoreLayout("Plain store", "UTC",
            [
                new ZoneDefinition("dairy", "Dairy", "aisle", "dairy", ["snacks"]),
                new ZoneDefinition("snacks", "Snacks", "aisle", "snacks", ["dairy"]),
            ]),
            [new GatewayDefinition("gw-dairy", "dairy", 0), new GatewayDefinition("gw-snacks", "snacks", 0)],
            offers,
            Guid.Parse("f7826da6-4fa2-4e98-8024-bc5b71e0893e"),
            Version: 1,
            LayoutVersion: 1),
        new ZoneResolverOptions());

    public static ShopperState Shopper(string shopperId = "shp-1") => new()
    {
        Profile = new ShopperProfile(shopperId, StoreId, new Consent(true, true), null, new BeaconAdvertisement(Guid.NewGuid(), 1, 2), Noon),
    };

    /// <summary>The contract's placement: three sightings at -60 dBm half a second apart, the last one at <paramref name="last"/>.</summary>
    public static Sighting[] Approach(DateTimeOffset last, string gatewayId = "gw-dairy", string zoneId = "dairy") =>
        [.. Enumerable.Range(0, 3).Select(i => new Sighting(gatewayId, zoneId, -60, last.AddMilliseconds(-500 * (2 - i))))];

    public static Presence Presence() => new(new ZoneResolverFactory(), maxTrailEntries: 2_000, lastSeenStored: null);
}
