using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// <see cref="ShopperVisit"/> without a host: what a placement, the silence exit and the region exit store and
/// tell, in what order, and a visit let go and made again from the stored rows.
/// </summary>
public sealed class ShopperVisitTests
{
    private static readonly TimeSpan ExitTimeout = new ZoneResolverOptions().ExitTimeout;

    [Fact]
    public async Task A_placement_counts_the_visit_issues_with_the_wallet_stored_before_the_push_and_stores_the_presence_row_after_it()
    {
        var shopper = new PlainShopper(PlainStore.Offer());
        var visit = shopper.NewVisit();

        await visit.RecordAsync(shopper.View, PlainStore.Approach(PlainStore.Noon), received: null);

        var coupon = Assert.Single(shopper.Shopper.Wallet);
        Assert.Equal(
            ["visit False", "triggered offer-1", "reserve offer-1", "file code", "store shopper", $"push {coupon.CouponId}", "issued offer-1",
             "confirm offer-1", "send issued", "store presence", "zone dairy", "stays 1"],
            shopper.Log);
        Assert.Equal("dairy", visit.CurrentZoneId);
        Assert.Equal([new TrailEntry("dairy", PlainStore.Noon, null)], shopper.Presence.Trail);
        Assert.Null(visit.Writing);
    }

    [Fact]
    public async Task A_batch_that_changes_nothing_stores_nothing_and_tells_nothing()
    {
        var shopper = new PlainShopper();
        var visit = shopper.NewVisit();
        await visit.RecordAsync(shopper.View, PlainStore.Approach(PlainStore.Noon), received: null);
        shopper.Log.Clear();

        var next = PlainStore.Noon.AddSeconds(1);
        shopper.Clock.SetUtcNow(next);
        await visit.RecordAsync(shopper.View, [new Sighting("gw-dairy", "dairy", -60, next)], received: null);

        Assert.Empty(shopper.Log);
    }

    [Fact]
    public async Task Silence_past_the_exit_timeout_exits_the_shopper_stores_the_trail_and_tells_the_live_view()
    {
        var shopper = new PlainShopper();
        var visit = shopper.NewVisit();
        await visit.RecordAsync(shopper.View, PlainStore.Approach(PlainStore.Noon), received: null);
        shopper.Log.Clear();

        shopper.Clock.SetUtcNow(PlainStore.Noon + ExitTimeout - TimeSpan.FromSeconds(1));
        await visit.CheckSilenceAsync(PlainStore.StoreId, SilenceWatch.Period);
        Assert.Equal("dairy", visit.CurrentZoneId);
        Assert.Empty(shopper.Log);

        shopper.Clock.SetUtcNow(PlainStore.Noon + ExitTimeout + TimeSpan.FromSeconds(1));
        await visit.CheckSilenceAsync(PlainStore.StoreId, SilenceWatch.Period);

        Assert.Null(visit.CurrentZoneId);
        Assert.Equal(["store presence", "zone ", "stays 1"], shopper.Log);
        Assert.Equal([new TrailEntry("dairy", PlainStore.Noon, PlainStore.Noon), new TrailEntry(null, PlainStore.Noon, null)], shopper.Presence.Trail);
    }

    [Fact]
    public async Task The_region_exit_takes_the_shopper_out_of_their_zone_at_once_and_a_visit_made_again_counts_no_new_visit()
    {
        var shopper = new PlainShopper();
        await shopper.NewVisit().RecordAsync(shopper.View, PlainStore.Approach(PlainStore.Noon), received: null);
        var visit = shopper.NewVisit();
        await visit.RecordAsync(shopper.View, PlainStore.Approach(PlainStore.Noon.AddSeconds(1)), received: null);
        var left = PlainStore.Noon.AddSeconds(5);
        shopper.Log.Clear();

        await visit.LeaveStoreAsync(PlainStore.StoreId, left);

        Assert.Null(visit.CurrentZoneId);
        Assert.Equal(["store presence", "zone ", "stays 1"], shopper.Log);
        Assert.Equal(new TrailEntry(null, left, null), shopper.Presence.Trail[^1]);

        // The shopper comes back within the visit: a visit made from the stored rows counts no second one.
        shopper.Log.Clear();
        var back = PlainStore.Noon.AddMinutes(5);
        shopper.Clock.SetUtcNow(back);
        var again = shopper.NewVisit();
        await again.RecordAsync(shopper.View, PlainStore.Approach(back), received: null);
        Assert.Equal(1, shopper.Presence.VisitCount);
        Assert.DoesNotContain("visit False", shopper.Log);
        Assert.Equal("dairy", again.CurrentZoneId);
    }

    [Fact]
    public async Task A_visit_made_after_a_region_exit_refuses_a_late_backlog_from_before_it_and_places_the_shopper_after_it()
    {
        var shopper = new PlainShopper();
        var first = shopper.NewVisit();
        await first.RecordAsync(shopper.View, PlainStore.Approach(PlainStore.Noon), received: null);
        var left = PlainStore.Noon.AddSeconds(4);
        await first.LeaveStoreAsync(PlainStore.StoreId, left);
        Assert.True(first.IsIdle);
        var trail = shopper.Presence.Trail.ToArray();

        var next = new ShopperVisit(PlainShopper.ShopperId, shopper, shopper.Ports, leftStoreAt: left);
        await next.RecordAsync(shopper.View, PlainStore.Approach(PlainStore.Noon.AddSeconds(2)), received: null);
        Assert.Null(next.CurrentZoneId);
        Assert.Equal(trail, shopper.Presence.Trail);

        var back = left.AddSeconds(10);
        await next.RecordAsync(shopper.View, PlainStore.Approach(back), received: null);
        Assert.Equal("dairy", next.CurrentZoneId);
        Assert.Equal(new TrailEntry("dairy", back, null), shopper.Presence.Trail[^1]);
    }

    [Fact]
    public async Task Forgetting_clears_the_trail_and_tells_the_live_view_the_shopper_is_in_no_zone()
    {
        var shopper = new PlainShopper();
        var visit = shopper.NewVisit();
        await visit.RecordAsync(shopper.View, PlainStore.Approach(PlainStore.Noon), received: null);
        shopper.Log.Clear();

        visit.Forget(PlainStore.StoreId);

        Assert.Empty(shopper.Presence.Trail);
        Assert.Null(visit.CurrentZoneId);
        Assert.Equal(["zone ", "stays 0"], shopper.Log);
    }
}
