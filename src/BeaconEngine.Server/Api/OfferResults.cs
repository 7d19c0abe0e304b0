using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Server.Api;

/// <summary>Builds an offer's results: the contract's counters, the event counts by zone and hour, and the lift.</summary>
public static class OfferResults
{
    public const string LiftMetric = "share of shoppers who bought the brand's products after joining their group";

    public const string RevenueMetric = "spend on the brand's lines per shopper after joining their group";

    public static OfferResultsResponse From(OfferDefinition offer, OfferStats stats, OfferReport report, bool retired = false)
    {
        var offerId = offer.OfferId;
        var t = report.Total;
        var revenue = RevenueLift(offer, report, t.Redeemed);
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
            retired,
            revenue,
            revenue.DiscountCost > 0 && report.ControlShoppers > 0 ? revenue.IncrementalRevenue / revenue.DiscountCost : null);
    }

    /// <summary>
    /// Incremental revenue is the difference per shopper times the treated shoppers: what the treated group
    /// spent on the brand beyond what it would have without the offer. The discount cost is what the
    /// redeemed coupons took off: the amount for an "amount" offer; for a "percent" offer, the percentage of
    /// a treated buyer's mean spend on the brand (the till does not say which basket a coupon was used on).
    /// </summary>
    public static RevenueLiftResponse RevenueLift(OfferDefinition offer, OfferReport report, long redeemed)
    {
        var treated = new SpendSample(report.TreatedShoppers, report.TreatedSpend, report.TreatedSpendSquares);
        var control = new SpendSample(report.ControlShoppers, report.ControlSpend, report.ControlSpendSquares);
        var d = MeanDifference.Of(treated, control);
        var perRedemption = string.Equals(offer.DiscountKind, "amount", StringComparison.OrdinalIgnoreCase)
            ? (double)offer.DiscountValue
            : report.TreatedBuyers > 0 ? (double)offer.DiscountValue / 100 * report.TreatedSpend / report.TreatedBuyers : 0;
        return new RevenueLiftResponse(
            RevenueMetric,
            treated.Shoppers,
            control.Shoppers,
            treated.Mean,
            control.Mean,
            d.Difference,
            Finite(d.Low),
            Finite(d.High),
            Finite(d.AnytimeLow),
            Finite(d.AnytimeHigh),
            d.SignificantAnytime,
            control.Shoppers > 0 ? d.Difference * treated.Shoppers : 0,
            perRedemption * redeemed,
            RevenueVerdict(d));
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    private static string RevenueVerdict(MeanDifference d) => d switch
    {
        { Known: false } => "No figure yet: both the treated and the control group need two shoppers.",
        { Treated.Shoppers: < Lift.MinimumGroup } or { Control.Shoppers: < Lift.MinimumGroup } when !d.SignificantAnytime =>
            $"Too early to tell: fewer than {Lift.MinimumGroup} shoppers in a group, and the interval includes zero.",
        { SignificantAnytime: false } => "No measurable effect on spend yet: the interval includes zero.",
        { AnytimeLow: > 0 } => "The offer raises spend on the brand.",
        _ => "The offer lowers spend on the brand.",
    };

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
