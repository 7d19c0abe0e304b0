using BeaconEngine.Grains.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// What one coupon costs the grains, counted on the silo: the grain calls and the durable writes of a gateway
/// batch that places a shopper and issues them one coupon. The figures are in docs/architecture.md; a change
/// that adds a call or a write to the coupon's path shows here first.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class CostPerCouponTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_batch_that_places_a_shopper_and_issues_one_coupon_makes_eight_grain_calls_and_two_durable_writes_of_its_own_and_four_one_way_results()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        await store.OfferAsync();

        // A first shopper warms the node (the store's view, the offer's activation, the cluster's code key), as a running store is.
        var first = await store.ShopperAsync();
        await GatewayBatchAsync(store, first);
        Assert.Single(await first.GetWallet());

        // Its event is stored (the log's first write also makes the log's head row) before the count starts.
        var log = cluster.Grains.GetGrain<IStoreEventsGrain>(store.StoreId);
        Assert.Equal(1, await log.WaitBeyond(0, TimeSpan.FromSeconds(10)));

        var shopper = await store.ShopperAsync();
        cluster.Costs.Reset();
        var receipt = await GatewayBatchAsync(store, shopper);

        Assert.Equal(3, receipt.Accepted);
        var calls = await Conditions.UntilAsync(
            () => Task.FromResult(cluster.Costs.Calls),
            c => c.GetValueOrDefault("IOfferAnalyticsGrain.Record") == 2 && c.GetValueOrDefault("IStoreActivityGrain.ShopperAt") == 1 && c.GetValueOrDefault("IProgrammeGrain.Visited") == 1
                && c.GetValueOrDefault("IZoneHourGrain.RecordStays") == 1 && c.GetValueOrDefault("IZoneHourGrain.RecordStage") == 1
                && c.GetValueOrDefault("IStoreEventsGrain.Store") == 1,
            "the one-way results of the coupon");
        await Conditions.UntilAsync(() => Task.FromResult(cluster.Costs.Writes), w => w.ContainsKey("eventLog-0"), "the store's log to store the coupon's event");
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["IGatewayGrain.Ingest"] = 1,
                ["IOfferAnalyticsGrain.Record"] = 2,
                ["IOfferGrain.Confirm"] = 1,
                ["IOfferGrain.TryReserve"] = 1,
                ["IShopperGrain.RecordSightings"] = 1,
                ["IStoreActivityGrain.CouponIssued"] = 1,
                ["IStoreActivityGrain.ShopperAt"] = 1,

                // The shopper's first batch begins a visit, which the store's programme report counts (one-way, stored behind).
                ["IProgrammeGrain.Visited"] = 1,

                // The store-hour's zone analytics (one-way, stored behind): the zone change's stay, and the coupon offered there.
                ["IZoneHourGrain.RecordStays"] = 1,
                ["IZoneHourGrain.RecordStage"] = 1,

                // The coupon's event for the store's log: stored with the wallet (no write of its own), sent after the push,
                // not awaited, and stored by the log in one write with what arrives meanwhile.
                ["IStoreEventsGrain.Store"] = 1,
            },
            calls);
        Assert.Equal(12, calls.Values.Sum());

        // The coupon's own: the budget's ledger and the wallet; the till's code is sealed and stores nothing. The
        // shopper's presence row is the zone change's, which any placement writes, coupon or not; the log's open
        // segment is stored behind.
        Assert.Equal(
            new Dictionary<string, int> { ["eventLog-0"] = 1, ["offer"] = 1, ["presence"] = 1, ["shopper"] = 1 },
            cluster.Costs.Writes);
        var coupon = Assert.Single(await shopper.GetWallet());
        Assert.Equal(SealedCodeCipher.Length, coupon.Code.Length);
    }

    private async Task<BatchReceipt> GatewayBatchAsync(StoreBuilder store, IShopperGrain shopper)
    {
        var sightings = store.Approach();
        var batch = new GatewayBatch(null, sightings.Length, [new ShopperSightings(shopper.GetPrimaryKeyString(), sightings, [0, 1, 2])], [], [], 0, null, null);
        var admission = await cluster.Grains.GetGrain<IGatewayGrain>(GatewayKey.Of(store.StoreId, "gw-dairy")).Ingest(batch);
        return admission.Receipt!;
    }
}
