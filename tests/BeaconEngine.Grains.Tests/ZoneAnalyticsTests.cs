using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// Zone analytics against a known set of visits, computed by hand: footfall, dwell quantiles, the funnel and
/// the transitions, over one hour and merged over two; and the stays a shopper's presence tells.
/// </summary>
public sealed class ZoneAnalyticsTests
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Six shoppers in the dairy aisle between 10:00 and 11:00. Closed stays of 10, 40, 25 and 50 (one shopper,
    /// twice), 120 and 35 seconds; s6 is still there. s1, s2 came from snacks, s4 from the bakery.
    /// </summary>
    private static ZoneHourState TenOClock()
    {
        var hour = new ZoneHourState();
        Stay(hour, "s1", Ten.AddMinutes(1), 10, from: "snacks");
        Stay(hour, "s2", Ten.AddMinutes(2), 40, from: "snacks");
        Stay(hour, "s3", Ten.AddMinutes(3), 25);
        Stay(hour, "s3", Ten.AddMinutes(20), 50);
        Stay(hour, "s4", Ten.AddMinutes(4), 120, from: "bakery");
        Stay(hour, "s5", Ten.AddMinutes(5), 35);
        hour.AddStays("s6", [new ZoneStay("dairy", Ten.AddMinutes(6), null, null)]);

        // The same stays told again (open, then closed, then closed once more) count once.
        hour.AddStays("s2", [new ZoneStay("dairy", Ten.AddMinutes(2), Ten.AddMinutes(2).AddSeconds(40), "snacks")]);
        Assert.False(hour.AddStays("s2", [new ZoneStay("dairy", Ten.AddMinutes(2), Ten.AddMinutes(2).AddSeconds(40), "snacks")]));

        // Coupons: s2 and s4 of brand-a, s3 of brand-b; s2 and s4 opened theirs, s4 redeemed it.
        hour.AddStage("s2", "dairy", "brand-a", ZoneStage.Offered);
        Assert.False(hour.AddStage("s2", "dairy", "brand-a", ZoneStage.Offered));
        hour.AddStage("s3", "dairy", "brand-b", ZoneStage.Offered);
        hour.AddStage("s4", "dairy", "brand-a", ZoneStage.Offered);
        hour.AddStage("s2", "dairy", "brand-a", ZoneStage.Opened);
        hour.AddStage("s4", "dairy", "brand-a", ZoneStage.Opened);
        hour.AddStage("s4", "dairy", "brand-a", ZoneStage.Redeemed);

        // s5 redeemed a brand-a coupon at the till without opening it in the app: it was seen, so it counts as opened.
        hour.AddStage("s5", "dairy", "brand-a", ZoneStage.Offered);
        hour.AddStage("s5", "dairy", "brand-a", ZoneStage.Redeemed);
        return hour;
    }

    [Fact]
    public void An_hours_footfall_dwell_funnel_and_transitions_are_exact()
    {
        var report = TenOClock().ToReport();

        var dairy = ZoneFigures.Of("dairy", report.Zones.Where(z => z.ZoneId == "dairy"), dwellSeconds: 30, brandId: null);

        // Stays sorted: 10, 25, 35, 40, 50, 120. Nearest rank: the median is the 3rd (35 s), the 90th percentile the 6th (120 s).
        Assert.Equal(6, dairy.Footfall);
        Assert.Equal(6, dairy.Stays);
        AssertSketched(35, dairy.DwellMedianSeconds);
        AssertSketched(120, dairy.DwellP90Seconds);

        // Dwelt at least 30 s (longest stay): s2 (40), s3 (50), s4 (120), s5 (35). s6's stay is still open.
        Assert.Equal(4, dairy.Dwelt);
        Assert.Equal((4L, 3L, 2L), (dairy.Offered, dairy.Opened, dairy.Redeemed));

        // At 36 s, s5 (35 s) no longer counts.
        Assert.Equal(3, ZoneFigures.Of("dairy", report.Zones, dwellSeconds: 36, brandId: null).Dwelt);

        // A brand's funnel counts its own coupons only.
        var brandA = ZoneFigures.Of("dairy", report.Zones, 30, "brand-a");
        Assert.Equal((3L, 3L, 2L), (brandA.Offered, brandA.Opened, brandA.Redeemed));
        Assert.Equal(6, brandA.Footfall);

        Assert.Equal(
            [new ZoneTransitionFigures("snacks", "dairy", 2, 2), new ZoneTransitionFigures("bakery", "dairy", 1, 1)],
            ZoneTransitionFigures.Of(report.Transitions));
    }

    [Fact]
    public void Hours_merge_with_each_shopper_counted_once()
    {
        var eleven = new ZoneHourState();
        Stay(eleven, "s1", Ten.AddHours(1).AddMinutes(5), 60, from: "snacks");
        Stay(eleven, "s7", Ten.AddHours(1).AddMinutes(6), 5, from: "snacks");

        var hours = TenOClock().ToReport().Zones.Concat(eleven.ToReport().Zones).ToList();
        var dairy = ZoneFigures.Of("dairy", hours, dwellSeconds: 30, brandId: null);

        // s1 twice, once each hour: 7 shoppers, 8 stays: 5, 10, 25, 35, 40, 50, 60, 120; the median is the 4th (35 s),
        // the 90th percentile the 8th (120 s). s1's longest stay is now 60 s: 5 dwelt.
        Assert.Equal(7, dairy.Footfall);
        Assert.Equal(8, dairy.Stays);
        AssertSketched(35, dairy.DwellMedianSeconds);
        AssertSketched(120, dairy.DwellP90Seconds);
        Assert.Equal(5, dairy.Dwelt);

        var moves = ZoneTransitionFigures.Of(TenOClock().ToReport().Transitions.Concat(eleven.ToReport().Transitions));
        Assert.Equal(new ZoneTransitionFigures("snacks", "dairy", 3, 4), moves[0]);
    }

    [Fact]
    public void A_stay_belongs_to_the_hour_it_began_in_with_its_whole_dwell()
    {
        var hour = new ZoneHourState();
        Stay(hour, "s1", Ten.AddMinutes(59), 300);
        Assert.Equal("store-1/2026-12-03T10", ZoneHourKey.Of("store-1", Ten.AddMinutes(59).AddSeconds(59)));
        AssertSketched(300, ZoneFigures.Of("dairy", hour.ToReport().Zones, 30, null).DwellMedianSeconds);
    }

    [Fact]
    public void Presence_tells_each_stay_with_where_the_shopper_came_from_and_tells_it_again_when_it_closes()
    {
        var state = new PresenceState();
        var presence = PlainStore.Presence();
        var events = new List<ProximityEvent>();
        var view = PlainStore.View();
        var noon = PlainStore.Noon;

        presence.Observe(state, view, PlainStore.Approach(noon), events, noon);
        Assert.Equal([new ZoneStay("dairy", noon, null, null)], presence.TakeStays(state));

        var later = noon.AddSeconds(40);
        events.Clear();
        presence.Observe(state, view, [.. PlainStore.Approach(later, "gw-snacks", "snacks"), .. PlainStore.Approach(later.AddSeconds(2), "gw-snacks", "snacks")], events, later);
        var snacks = state.Trail.Single(t => t.ZoneId == "snacks");
        var dairy = state.Trail.Single(t => t.ZoneId == "dairy");
        Assert.Equal(
            [new ZoneStay("dairy", noon, dairy.ExitedAt, null), new ZoneStay("snacks", snacks.EnteredAt, null, "dairy")],
            presence.TakeStays(state));

        // Told already: only the open stay again.
        Assert.Equal([new ZoneStay("snacks", snacks.EnteredAt, null, "dairy")], presence.TakeStays(state));
    }

    private static void Stay(ZoneHourState hour, string shopper, DateTimeOffset entered, double seconds, string? from = null)
    {
        hour.AddStays(shopper, [new ZoneStay("dairy", entered, null, from)]);
        hour.AddStays(shopper, [new ZoneStay("dairy", entered, entered.AddSeconds(seconds), from)]);
    }

    /// <summary>The sketch reads the bucket the exact value falls in: within its stated 2 %.</summary>
    private static void AssertSketched(double exact, double? read)
    {
        Assert.NotNull(read);
        Assert.Equal(DwellSketch.ValueOf(DwellSketch.BucketOf(exact)), read.Value, 9);
        Assert.InRange(Math.Abs(read.Value - exact) / exact, 0, DwellSketch.RelativeAccuracy);
    }
}
