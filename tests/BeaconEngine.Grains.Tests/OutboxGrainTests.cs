using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Tests;

/// <summary>The shopper's outbox to the offer's results, owner of the delivered count: retried on the fake clock, counted exactly once.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class OutboxGrainTests(GrainCluster cluster)
{
    [Fact]
    public async Task An_acknowledgement_the_offer_fails_to_store_is_retried_and_counted_once()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        var offer = await store.OfferAsync();
        var shopper = await store.ShopperAsync();
        await shopper.RecordSightings(store.Approach());
        var coupon = Assert.Single(await shopper.GetWallet());

        // The results' next write of the feedback row fails; the shopper waits 50 ms of the silo's clock and sends again.
        var results = cluster.Grains.GetGrain<IOfferAnalyticsGrain>(offer.GetPrimaryKeyString());
        await cluster.Faults("offerFeedback").AddFaultOnWrite(results.GetGrainId(), new InvalidOperationException("disk full"));
        var acknowledging = shopper.Acknowledge(coupon.CouponId);
        while (!acknowledging.IsCompleted)
        {
            cluster.Clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(acknowledging, Task.Delay(10));
        }

        Assert.True(await acknowledging);
        Assert.Equal(CouponStatus.Delivered, Assert.Single(await shopper.GetWallet()).Status);
        Assert.Equal(1, (await offer.GetStats())!.Issued);
        Assert.Equal(1, (await results.GetReport(cluster.Clock.GetUtcNow())).CouponsDelivered);
    }
}
