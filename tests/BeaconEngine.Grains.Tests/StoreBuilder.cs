using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Grains.Tests;

/// <summary>Sets up a store, its gateways, an offer and shoppers through the grains, as the server's routes do.</summary>
public sealed class StoreBuilder(GrainCluster cluster)
{
    public string StoreId { get; } = $"store-{Guid.NewGuid():N}"[..16];

    public async Task<StoreBuilder> WithAislesAsync()
    {
        var layout = new StoreLayout("Test store", "UTC",
        [
            new ZoneDefinition("dairy", "Dairy", "aisle", "dairy", ["snacks"]),
            new ZoneDefinition("snacks", "Snacks", "aisle", "snacks", ["dairy"]),
        ]);
        var store = cluster.Grains.GetGrain<IStoreGrain>(StoreId);
        Assert.NotNull((await store.PutLayout(layout)).Snapshot);
        Assert.Equal(GatewayRegistrationResult.Registered, await store.RegisterGateway(new GatewayDefinition("gw-dairy", "dairy", 0)));
        Assert.Equal(GatewayRegistrationResult.Registered, await store.RegisterGateway(new GatewayDefinition("gw-snacks", "snacks", 0)));
        return this;
    }

    /// <summary>An offer in the dairy aisle with no control group, so every eligible shopper gets a coupon.</summary>
    public async Task<IOfferGrain> OfferAsync(int couponTtlMinutes = 60, long maxCoupons = 10)
    {
        var offerId = $"offer-{Guid.NewGuid():N}"[..16];
        var now = cluster.Clock.GetUtcNow();
        var offer = cluster.Grains.GetGrain<IOfferGrain>(offerId);
        Assert.True(await offer.Create(new OfferDefinition
        {
            OfferId = offerId,
            BrandId = "brand-a",
            StoreId = StoreId,
            ZoneIds = ["dairy"],
            Title = "20% off yoghurt",
            DiscountKind = "percent",
            DiscountValue = 20,
            CouponTtlMinutes = couponTtlMinutes,
            MaxCoupons = maxCoupons,
            HoldoutShare = 0,
            CreatedAt = now,
            UpdatedAt = now,
        }));
        return offer;
    }

    public async Task<IShopperGrain> ShopperAsync()
    {
        var shopperId = Ids.New("shp");
        var shopper = cluster.Grains.GetGrain<IShopperGrain>(shopperId);
        await shopper.Enrol(new ShopperProfile(shopperId, StoreId, new Consent(true, true), null,
            new BeaconAdvertisement(Guid.NewGuid(), 1, 2), cluster.Clock.GetUtcNow()), $"token-hash-{shopperId}");
        return shopper;
    }

    /// <summary>The contract's placement: three sightings at -60 dBm half a second apart, the last one now.</summary>
    public Sighting[] Approach(string gatewayId = "gw-dairy", string zoneId = "dairy")
    {
        var now = cluster.Clock.GetUtcNow();
        return [.. Enumerable.Range(0, 3).Select(i => new Sighting(gatewayId, zoneId, -60, now.AddMilliseconds(-500 * (2 - i))))];
    }
}
