using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Server.Api;

/// <summary>
/// Builds an offer's results: the contract's counters, the event counts by zone and hour, and the lift. Each
/// count is read from its one owner: issued, redeemed and the remaining budget from the offer's ledger
/// (<see cref="OfferStats"/>), everything else from its results (<see cref="OfferReport"/>).
/// </summary>
public static class OfferResults
{
    public const string LiftMetric = "share of shoppers who bought the brand's products after joining their group";

    public const string RevenueMetric = "spend on the brand's lines per shopper after joining their group";

    /// <summary>
    /// For a brand (<paramref name="brand"/> true), every zone, hour or group count from 1 to 4 is null and named in
    /// its object's <c>suppressed</c>, and so is every rate, mean or interval worked out from such a group, since
    /// it would give the count back. The contract's totals (issued, delivered, dismissed, redeemed, remaining
    /// budget) and the other offer-wide counts stay exact: they are the offer's own, not a zone's or a group's.
    /// </summary>
    public static OfferResultsResponse From(OfferDefinition offer, OfferStats stats, OfferReport report, bool retired = false, bool brand = false)
    {
        var offerId = offer.OfferId;
        var t = report.Total;
        var top = new SmallCounts(brand);
        var heldOut = top.Count(t.HeldOut, "heldOut");
        var revenue = RevenueLift(offer, report, t.Redeemed, brand);
        return new OfferResultsResponse(
            offerId,
            stats.Issued,
            report.CouponsDelivered,
            report.CouponsDismissed,
            stats.Redeemed,
            stats.RemainingBudget,
            heldOut,
            top.Whole(t.Triggered, "triggered", heldOut is null && t.HeldOut > 0, total: true),
            t.Opened,
            t.NotRelevant,
            t.Expired,
            [.. report.ByZone.OrderBy(z => z.Key, StringComparer.Ordinal).Select(z => ZoneRow(z.Key, z.Value, brand))],
            [.. report.ByHour.Select(h => HourRow(h.Key, h.Value, brand))],
            ToResponse(Lift.Of(report.TreatedBuyers, report.TreatedShoppers, report.ControlBuyers, report.ControlShoppers), brand),
            retired,
            revenue,
            revenue.IncrementalRevenue is { } incremental && revenue.DiscountCost > 0 && report.ControlShoppers > 0 ? incremental / revenue.DiscountCost : null,
            brand ? "brand" : "operator",
            brand ? ZoneAnalyticsEndpoints.MinimumShoppers : null,
            top.Names);
    }

    private static ZoneResults ZoneRow(string zoneId, CountsByKind c, bool brand)
    {
        var s = new SmallCounts(brand);
        var heldOut = s.Count(c.HeldOut, "heldOut");
        var issued = s.Count(c.Issued, "issued");
        return new ZoneResults(
            zoneId, s.Whole(c.Triggered, "triggered", (heldOut is null) != (issued is null)), heldOut, issued, s.Count(c.Opened, "opened"),
            s.Count(c.Dismissed, "dismissed"), s.Count(c.NotRelevant, "notRelevant"), s.Count(c.Redeemed, "redeemed"), s.Count(c.Expired, "expired"), s.Names);
    }

    private static HourResults HourRow(DateTimeOffset hour, CountsByKind c, bool brand)
    {
        var s = new SmallCounts(brand);
        var heldOut = s.Count(c.HeldOut, "heldOut");
        var issued = s.Count(c.Issued, "issued");
        return new HourResults(
            hour, s.Whole(c.Triggered, "triggered", (heldOut is null) != (issued is null)), heldOut, issued, s.Count(c.Opened, "opened"),
            s.Count(c.Dismissed, "dismissed"), s.Count(c.NotRelevant, "notRelevant"), s.Count(c.Redeemed, "redeemed"), s.Count(c.Expired, "expired"), s.Names);
    }

    /// <summary>
    /// Incremental revenue is the difference per shopper times the treated shoppers: what the treated group
    /// spent on the brand beyond what it would have without the offer. The discount cost is what the
    /// redeemed coupons took off: the amount for an "amount" offer; for a "percent" offer, the percentage of
    /// a treated buyer's mean spend on the brand (the till does not say which basket a coupon was used on).
    /// For a brand, while a group has from 1 to 4 shoppers, nothing worked out from the groups is shown.
    /// </summary>
    public static RevenueLiftResponse RevenueLift(OfferDefinition offer, OfferReport report, long redeemed, bool brand = false)
    {
        var treated = new SpendSample(report.TreatedShoppers, report.TreatedSpend, report.TreatedSpendSquares);
        var control = new SpendSample(report.ControlShoppers, report.ControlSpend, report.ControlSpendSquares);
        var d = MeanDifference.Of(treated, control);
        var perRedemption = string.Equals(offer.DiscountKind, "amount", StringComparison.OrdinalIgnoreCase)
            ? (double)offer.DiscountValue
            : report.TreatedBuyers > 0 ? (double)offer.DiscountValue / 100 * report.TreatedSpend / report.TreatedBuyers : 0;
        var discountCost = perRedemption * redeemed;
        var s = new SmallCounts(brand);
        var treatedShoppers = s.Count(treated.Shoppers, "treatedShoppers");
        var controlShoppers = s.Count(control.Shoppers, "controlShoppers");
        if (s.Any)
        {
            // Each mean times a shopper count is a sum, and the incremental revenue is the difference times the
            // treated count: shown together they would give back the group's size.
            s.Add("treatedPerShopper", "controlPerShopper", "difference", "low", "high", "anytimeLow", "anytimeHigh", "significantAnytime", "incrementalRevenue");
            return new RevenueLiftResponse(
                RevenueMetric, treatedShoppers, controlShoppers, null, null, null, null, null, null, null, null, null, discountCost, TooFewToShow, s.Names);
        }

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
            discountCost,
            RevenueVerdict(d),
            []);
    }

    /// <summary>The verdict a brand reads while a group is too small to show.</summary>
    public const string TooFewToShow = "Too few shoppers to show: a group has fewer than 5 shoppers or buyers, so its figures are withheld.";

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

    public static LiftResponse ToResponse(Lift lift, bool brand = false)
    {
        var s = new SmallCounts(brand);
        var treated = Group(lift.Treated, "treated", s);
        var control = Group(lift.Control, "control", s);
        if (s.Any)
        {
            // With a group's size or buyers hidden, the difference and its intervals would still give them back.
            s.Add("difference", "low", "high", "relative", "significant", "anytimeLow", "anytimeHigh", "significantAnytime");
            return new(LiftMetric, 0.95, treated, control, null, null, null, null, null, lift.EnoughData, Lift.MinimumGroup, TooFewToShow, null, null, null, s.Names);
        }

        return new(
            LiftMetric,
            0.95,
            treated,
            control,
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
            lift.SignificantAnytime,
            []);
    }

    /// <summary>A group's rate and interval are shown only with both its counts: with one hidden, they would give it back.</summary>
    private static GroupRate Group(Proportion p, string name, SmallCounts s)
    {
        var before = s.Names.Length;
        var shoppers = s.Count(p.Trials, $"{name}.shoppers");
        var buyers = s.Count(p.Successes, $"{name}.buyers");
        if (s.Names.Length > before)
        {
            s.Add($"{name}.rate", $"{name}.low", $"{name}.high");
            return new GroupRate(shoppers, buyers, null, null, null);
        }

        return new GroupRate(p.Trials, p.Successes, p.Rate, p.Low, p.High);
    }

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
