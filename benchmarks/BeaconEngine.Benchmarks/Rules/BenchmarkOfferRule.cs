using System.Globalization;
using BeaconEngine.Rules.Offers;
using RulesEngine.Models;

namespace BeaconEngine.Benchmarks.Rules;

/// <summary>
/// One offer's eligibility conditions, written once and rendered for both engines so that
/// <see cref="RulesBenchmarks"/> compares the same rules: the zone, dwell at least
/// <see cref="MinDwellSeconds"/>, local hour in [<see cref="FromHour"/>, <see cref="ToHour"/>), visits at
/// least <see cref="MinVisits"/>, and the shopper not opted out of <see cref="Category"/>.
/// </summary>
public sealed record BenchmarkOfferRule(
    string OfferId, string ZoneId, int MinDwellSeconds, int FromHour, int ToHour, int MinVisits, string Category, double Priority)
{
    /// <summary>The rule's priority in RulesEngine's <see cref="Rule.Properties"/>, read to pick the best eligible offer.</summary>
    public const string PriorityProperty = "Priority";

    /// <summary>
    /// The offer for our core. Every offer is a dwell offer so the zone and trigger index holds all of
    /// them; no validity dates, audience or caps beyond the five conditions; no holdout, because a
    /// control group decides what is done with the winner, not eligibility, and RulesEngine has none.
    /// </summary>
    public Offer ToOffer() => new()
    {
        OfferId = OfferId,
        BrandId = "brand-" + OfferId,
        ZoneIds = [ZoneId],
        Category = Category,
        Discount = new Discount(DiscountKind.Percent, 10),
        Trigger = OfferTrigger.Dwell,
        MinDwell = TimeSpan.FromSeconds(MinDwellSeconds),
        Schedule = new OfferSchedule { From = new TimeOnly(FromHour, 0), To = new TimeOnly(ToHour, 0) },
        Audience = new OfferAudience { MinVisits = MinVisits },
        Priority = Priority,
        HoldoutShare = 0,
    };

    /// <summary>
    /// The same conditions as a RulesEngine lambda rule. The zone test is kept although each zone has its
    /// own workflow, so both sides check all five conditions per offer.
    /// </summary>
    public Rule ToRule() => new()
    {
        RuleName = OfferId,
        RuleExpressionType = RuleExpressionType.LambdaExpression,
        Expression = string.Create(
            CultureInfo.InvariantCulture,
            $"input1.ZoneId == \"{ZoneId}\" && input1.DwellSeconds >= {MinDwellSeconds} && input1.LocalHour >= {FromHour} && input1.LocalHour < {ToHour} && input1.VisitCount >= {MinVisits} && !input1.OptedOut.Contains(\"{Category}\")"),
        Properties = new Dictionary<string, object> { [PriorityProperty] = Priority },
    };
}
