using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Server.Api;

/// <summary>Builds an offer's results: the contract's counters, the event counts by zone and hour, and the lift.</summary>
public static class OfferResults
{
    public const string LiftMetric = "share of shoppers who bought the brand's products after joining their group";

    public static OfferResultsResponse From(string offerId, OfferStats stats, OfferReport report, bool retired = false)
    {
        var t = report.Total;
        return new OfferResultsResponse(
            offerId,
            stats.Issued,
            stats.Delivered,
            stats.Dismissed,
            stats.Redeemed,
            stats.RemainingBudget,
            stats.HeldOut,
            t.Triggered,
            t.Opened,
            t.NotRelevant,
            t.Expired,
            [.. report.ByZone.OrderBy(z => z.Key, StringComparer.Ordinal).Select(z => new ZoneResults(
                z.Key, z.Value.Triggered, z.Value.HeldOut, z.Value.Issued, z.Value.Opened, z.Value.Dismissed, z.Value.NotRelevant, z.Value.Redeemed, z.Value.Expired))],
            [.. report.ByHour.Select(h => new HourResults(
                h.Key, h.Value.Triggered, h.Value.HeldOut, h.Value.Issued, h.Value.Opened, h.Value.Dismissed, h.Value.NotRelevant, h.Value.Redeemed, h.Value.Expired))],
            ToResponse(Lift.Of(report.TreatedBuyers, report.TreatedShoppers, report.ControlBuyers, report.ControlShoppers)),
            retired);
    }

    public static LiftResponse ToResponse(Lift lift) => new(
        LiftMetric,
        0.95,
        Group(lift.Treated),
        Group(lift.Control),
        lift.Difference,
        lift.Low,
        lift.High,
        lift.Relative,
        lift.Significant,
        lift.EnoughData,
        Lift.MinimumGroup,
        Verdict(lift),
        lift.AnytimeLow,
        lift.AnytimeHigh,
        lift.SignificantAnytime);

    private static GroupRate Group(Proportion p) => new(p.Trials, p.Successes, p.Rate, p.Low, p.High);

    /// <summary>The verdict reads the anytime-valid interval: a brand checking every hour is not fooled by a lucky hour.</summary>
    private static string Verdict(Lift lift) => lift switch
    {
        { Treated.Trials: 0 } or { Control.Trials: 0 } => "No figure yet: both the treated and the control group need shoppers.",
        { EnoughData: false, SignificantAnytime: false } => $"Too early to tell: fewer than {Lift.MinimumGroup} shoppers in a group, and the interval includes zero.",
        { EnoughData: false } => $"A first sign, not yet reliable: fewer than {Lift.MinimumGroup} shoppers in a group.",
        { SignificantAnytime: false } => "No measurable effect yet: the interval includes zero.",
        { AnytimeLow: > 0 } => "The offer raises purchases of the brand.",
        _ => "The offer lowers purchases of the brand.",
    };
}
