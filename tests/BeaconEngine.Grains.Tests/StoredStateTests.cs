using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Shoppers;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// The test silo stores grain state as production does (the Orleans serializer), so a test that deactivates a grain
/// reads back everything production would, private fields included.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class StoredStateTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_shoppers_record_read_back_from_the_test_storage_keeps_its_exposures_and_coupon_counts()
    {
        var state = new ShopperState();
        state.Expose(new OfferExposure("offer-held", "brand-1", Treated: false, cluster.Clock.GetUtcNow()));
        state.CouponsPerOffer["offer-given"] = 2;
        var grain = cluster.Grains.GetGrain<IShopperGrain>($"shp_{Guid.NewGuid():N}"[..24]).GetGrainId();

        await cluster.Storage.WriteStateAsync(ShopperState.Name, grain, new GrainState<ShopperState>(state));
        var read = new GrainState<ShopperState>();
        await cluster.Storage.ReadStateAsync(ShopperState.Name, grain, read);

        var stored = read.State!;
        Assert.True(stored.WasHeldOut("offer-held"));
        Assert.Equal(2, stored.CouponsReceived("offer-given"));
    }
}
