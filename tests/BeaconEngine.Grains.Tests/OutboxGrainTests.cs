using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Tests;

/// <summary>The shopper's outbox to the offer's books: retried on the fake clock, counted exactly once.</summary>
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

        // The offer's next write fails; the shopper waits 50 ms of the silo's clock and sends again.
        await cluster.Faults("offer").AddFaultOnWrite(offer.GetGrainId(), new InvalidOperationException("disk full"));
        var acknowledging = shopper.Acknowledge(coupon.CouponId);
        while (!acknowledging.IsCompleted)
        {
            cluster.Clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(acknowledging, Task.Delay(10));
        }

        Assert.True(await acknowledging);
        Assert.Equal(CouponStatus.Delivered, Assert.Single(await shopper.GetWallet()).Status);
        var stats = await offer.GetStats();
        Assert.Equal(1, stats!.Issued);
        Assert.Equal(1, stats.Delivered);
    }
}
