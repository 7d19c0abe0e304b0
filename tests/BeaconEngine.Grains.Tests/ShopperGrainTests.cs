using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Tests;

/// <summary>The shopper's grain on the fake clock: placement and a coupon, expiry, and the exit after silence.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class ShopperGrainTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_placement_issues_stores_and_pushes_one_coupon_that_expires_exactly_at_its_ttl()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        var offer = await store.OfferAsync(couponTtlMinutes: 1);
        var shopper = await store.ShopperAsync();
        var issuedAt = cluster.Clock.GetUtcNow();

        Assert.Equal(3, await shopper.RecordSightings(store.Approach()));

        var coupon = Assert.Single(await shopper.GetWallet());
        Assert.Equal(issuedAt, coupon.IssuedAt);
        Assert.Equal(issuedAt.AddMinutes(1), coupon.ExpiresAt);
        Assert.Equal("dairy", coupon.ZoneId);
        Assert.Equal(CouponStatus.Issued, coupon.Status);
        Assert.Equal(coupon.CouponId, Assert.Single(cluster.Pushes.To(shopper.GetPrimaryKeyString())).CouponId);
        var stats = await offer.GetStats();
        Assert.Equal(1, stats!.Issued);
        Assert.Equal(9, stats.RemainingBudget);

        // The offer's results count it (told one-way), and not as expired.
        var results = cluster.Grains.GetGrain<IOfferAnalyticsGrain>(offer.GetPrimaryKeyString());
        var report = await Conditions.UntilAsync(() => results.GetReport(cluster.Clock.GetUtcNow()), r => r.Total.Issued == 1, "the offer's results to count the coupon");
        Assert.Equal(0, report.Total.Expired);

        // A tick before its time it is still usable; at its time it is not, and the results count it expired, with no timer at all.
        cluster.Clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));
        Assert.Single(await shopper.GetWallet());
        Assert.Single(await shopper.GetUnacknowledged());
        Assert.Equal(0, (await results.GetReport(cluster.Clock.GetUtcNow())).Total.Expired);
        cluster.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Empty(await shopper.GetWallet());
        Assert.Empty(await shopper.GetUnacknowledged());
        Assert.Equal(1, (await results.GetReport(cluster.Clock.GetUtcNow())).Total.Expired);
    }

    [Fact]
    public async Task A_shopper_whose_gateways_fall_silent_is_exited_by_the_silence_watch_once_the_exit_timeout_has_passed()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        var shopper = await store.ShopperAsync();
        var sightings = store.Approach();
        var lastHeard = sightings[^1].Timestamp;
        await shopper.RecordSightings(sightings);
        var placed = Assert.Single(await shopper.GetTrail());
        Assert.Equal(new TrailEntry("dairy", lastHeard, null), placed);

        // Nothing more is heard. Just short of the exit timeout, the shopper is still there.
        var exitTimeout = new ZoneResolverOptions().ExitTimeout;
        cluster.Clock.Advance(exitTimeout - TimeSpan.FromSeconds(1));
        await shopper.CheckSilence();
        Assert.Equal([placed], await shopper.GetTrail());

        // Past it, the node's silence watch (ticking on the fake clock) asks the shopper, who is exited; the
        // stay ends at the last moment the shopper was heard.
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        var trail = await Conditions.UntilAsync(shopper.GetTrail, t => t.Length == 2, "the silence exit");
        Assert.Equal(new TrailEntry("dairy", lastHeard, lastHeard), trail[0]);
        Assert.Equal(new TrailEntry(null, lastHeard, null), trail[1]);
    }
}
