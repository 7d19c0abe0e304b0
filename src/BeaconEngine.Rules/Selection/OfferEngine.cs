using BeaconEngine.Rules.Learning;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Policy;

namespace BeaconEngine.Rules.Selection;

/// <summary>
/// Picks the one coupon worth sending for a zone event, or nothing.
/// <list type="number">
/// <item>Contact limits across all brands: daily cap, minimum gap, quiet time after a dismissal.</item>
/// <item>Eligibility of each offer of the event's zone and trigger: dwell, validity, local schedule,
/// audience, opt-outs, categories the shopper keeps dismissing, per-shopper caps, control group, budget.</item>
/// <item>Score: expected value = sampled redemption chance (Thompson sampling on what the engine has
/// learned) x money value x the brand's priority, raised or lowered by the shopper's learned liking of
/// the category and brand, and lowered by how many coupons they already had today.</item>
/// <item>Holdout: the winner's control-group share of shoppers, assigned stably by shopper and offer,
/// is recorded and sent nothing, so lift can be measured.</item>
/// </list>
/// <see cref="Decide"/> allocates nothing; <see cref="Explain"/> runs the same code and records why.
/// Draws come in rounds (batched Thompson sampling): once per <see cref="Policy.ContactPolicy.DrawRound"/>
/// a zone's offers for a trigger and shopper segment are drawn and ranked (<see cref="ZoneRanking"/>), and a
/// decision walks that ranking, stopping as soon as no later offer can win. The cost of a decision so
/// depends on how soon an eligible offer comes up, not on how many offers the zone holds. Draws are
/// seeded by the store's policy seed, zone, trigger, segment and round: the same inputs give the same
/// decision, whatever order offers are looked at in.
/// </summary>
public static class OfferEngine
{
    /// <summary>How strongly one net redemption (or dismissal) of a category or brand raises (or lowers) a score: e^0.5 ≈ 1.65x.</summary>
    public const double AffinityWeight = 0.5;

    public static OfferDecision Decide(OfferCatalog catalog, in ZoneEvent zoneEvent, IShopperFacts shopper, RedemptionModel model, IBudgetView? budgets = null) =>
        Run(catalog, zoneEvent, shopper, model, budgets, explanations: null);

    /// <summary>The same decision, with every candidate's exclusion or score.</summary>
    public static (OfferDecision Decision, IReadOnlyList<CandidateExplanation> Candidates) Explain(
        OfferCatalog catalog, in ZoneEvent zoneEvent, IShopperFacts shopper, RedemptionModel model, IBudgetView? budgets = null)
    {
        var explanations = new List<CandidateExplanation>();
        var decision = Run(catalog, zoneEvent, shopper, model, budgets, explanations);
        return (decision, explanations);
    }

    private static OfferDecision Run(
        OfferCatalog catalog, in ZoneEvent e, IShopperFacts shopper, RedemptionModel model, IBudgetView? budgets, List<CandidateExplanation>? explanations)
    {
        if (ContactLimit(catalog, e, shopper, out var couponsToday) is var blocked and not Exclusion.None)
        {
            var candidates = catalog.Candidates(e.ZoneId, e.Kind);
            if (explanations is not null)
            {
                foreach (var offer in candidates)
                {
                    explanations.Add(new CandidateExplanation(offer.OfferId, blocked, null, null));
                }
            }

            return new OfferDecision(DecisionKind.None, null, 0, blocked, candidates.Length);
        }

        if (catalog.Ranking(e.ZoneId, e.Kind, e.At, shopper.PrimarySegment, model) is not { } ranking)
        {
            return new OfferDecision(DecisionKind.None, null, 0, Exclusion.None, 0);
        }

        var clock = catalog.LocalClock(e.At);
        var fatigue = 1.0 / (1 + couponsToday);
        var offers = ranking.Offers;
        var drawn = ranking.Scores;

        // Scores before fatigue, which is the same for every offer of the decision.
        var bestIndex = -1;
        var best = double.NegativeInfinity;
        var bestExplanation = -1;
        var likingCeiling = 0.0;
        for (var i = 0; i < offers.Length; i++)
        {
            // The ranking is best first: once even the shopper's greatest liking cannot lift the next
            // offer above the best eligible one, no later offer can win. Explaining looks at them all.
            if (bestIndex >= 0 && explanations is null)
            {
                if (likingCeiling == 0)
                {
                    likingCeiling = Math.Exp(AffinityWeight * Math.Max(0, shopper.LikingCeiling));
                }

                if (drawn[i] * likingCeiling <= best)
                {
                    break;
                }
            }

            var offer = offers[i];
            var exclusion = Check(offer, catalog, e, clock.Day, clock.MinuteOfDay, shopper, budgets, couponsToday);
            if (exclusion != Exclusion.None)
            {
                explanations?.Add(new CandidateExplanation(offer.OfferId, exclusion, null, null));
                continue;
            }

            var liking = (offer.Category is null ? 0 : shopper.CategoryAffinity(offer.Category)) + shopper.BrandAffinity(offer.BrandId);
            var score = liking == 0 ? drawn[i] : drawn[i] * Math.Exp(AffinityWeight * liking);
            if (explanations is not null)
            {
                explanations.Add(new CandidateExplanation(offer.OfferId, Exclusion.None, score * fatigue, ranking.Chances[i]));
            }

            if (score > best)
            {
                bestIndex = i;
                best = score;
                bestExplanation = explanations?.Count - 1 ?? -1;
            }
        }

        if (explanations is not null)
        {
            for (var i = 0; i < explanations.Count; i++)
            {
                if (i != bestExplanation && explanations[i].Exclusion == Exclusion.None)
                {
                    explanations[i] = explanations[i] with { Exclusion = Exclusion.LowerScore };
                }
            }
        }

        if (bestIndex < 0)
        {
            return new OfferDecision(DecisionKind.None, null, 0, Exclusion.None, offers.Length);
        }

        var winner = offers[bestIndex];
        var kind = InControlGroup(winner, shopper.ShopperKey) ? DecisionKind.Holdout : DecisionKind.Issue;
        return new OfferDecision(kind, winner.Offer, best * fatigue, Exclusion.None, offers.Length);
    }

    /// <summary>Whether the shopper falls in the offer's control group; stable for a shopper and offer.</summary>
    public static bool InControlGroup(CompiledOffer offer, string shopperKey) =>
        offer.HoldoutThreshold != 0
        && (uint)(SplitMix64.Hash(offer.OfferId, SplitMix64.Hash(shopperKey)) >> 32) < offer.HoldoutThreshold;

    private static Exclusion ContactLimit(OfferCatalog catalog, in ZoneEvent e, IShopperFacts shopper, out int couponsToday)
    {
        couponsToday = 0;
        if (!shopper.AcceptsOffers)
        {
            return Exclusion.NoOfferConsent;
        }

        var policy = catalog.Policy;
        if (GlobalControl.Contains(policy.GlobalControlShare, shopper.ShopperKey))
        {
            return Exclusion.GlobalControl;
        }

        var at = e.ContactAt;
        if (shopper.LastCouponAt is { } lastCoupon && at - lastCoupon < policy.MinGap)
        {
            return Exclusion.MinGap;
        }

        if (shopper.LastDismissalAt is { } lastDismissal && at - lastDismissal < policy.QuietAfterDismissal)
        {
            return Exclusion.QuietAfterDismissal;
        }

        couponsToday = shopper.CouponsSince(catalog.LocalClock(at).DayStart);
        return couponsToday >= policy.MaxCouponsPerDay ? Exclusion.DailyCap : Exclusion.None;
    }

    private static Exclusion Check(
        CompiledOffer offer, OfferCatalog catalog, in ZoneEvent e, DayOfWeek day, int minute, IShopperFacts shopper, IBudgetView? budgets, int couponsToday)
    {
        var at = e.At.UtcTicks;
        // Dwell offers wait for it; exit offers ask that the shopper had stayed that long before leaving.
        if (e.Kind != OfferTrigger.Enter && e.Dwell.Ticks < offer.MinDwellTicks)
        {
            return Exclusion.DwellTooShort;
        }

        if (e.PhoneOnly && offer.RequiresGatewayPresence)
        {
            return Exclusion.PhoneOnlyPresence;
        }

        if (at < offer.ValidFromTicks)
        {
            return Exclusion.NotYetValid;
        }

        if (at >= offer.ValidToTicks)
        {
            return Exclusion.Expired;
        }

        if (!offer.IsScheduled(day, minute))
        {
            return Exclusion.OutsideSchedule;
        }

        // Plain field comparisons first; the shopper's per-offer history (lookups) last.
        var visits = shopper.VisitCount;
        if (visits < offer.MinVisits || visits > offer.MaxVisits)
        {
            return Exclusion.VisitCount;
        }

        if ((offer.Visitors == VisitorKind.New && visits > 1) || (offer.Visitors == VisitorKind.Returning && visits <= 1))
        {
            return Exclusion.NewOrReturning;
        }

        if (couponsToday >= offer.CapCouponsToday)
        {
            return Exclusion.OfferDailyCap;
        }

        var contactAt = e.ContactAt.UtcTicks;
        if (offer.CapMinGapTicks > 0 && shopper.LastCouponAt is { } lastCoupon && contactAt - lastCoupon.UtcTicks < offer.CapMinGapTicks)
        {
            return Exclusion.OfferMinGap;
        }

        if (offer.CapQuietTicks > 0 && shopper.LastDismissalAt is { } lastDismissal && contactAt - lastDismissal.UtcTicks < offer.CapQuietTicks)
        {
            return Exclusion.OfferQuietAfterDismissal;
        }

        if (offer.Segments.Length > 0 && !AnySegment(offer.Segments, shopper))
        {
            return Exclusion.NotInSegment;
        }

        if (offer.LoyaltyTiers.Length > 0 && (shopper.LoyaltyTier is not { } tier || Array.IndexOf(offer.LoyaltyTiers, tier) < 0))
        {
            return Exclusion.NotInLoyaltyTier;
        }

        if (offer.Category is { } category)
        {
            if (shopper.HasOptedOut(category))
            {
                return Exclusion.OptedOutCategory;
            }

            if (shopper.CategoryAffinity(category) <= -catalog.Policy.DismissalsToExcludeCategory)
            {
                return Exclusion.DismissedCategory;
            }

            if (offer.RequiresInterest && !shopper.IsInterestedIn(category))
            {
                return Exclusion.NoInterest;
            }
        }

        if (shopper.CouponsReceived(offer.OfferId) >= offer.MaxPerShopper)
        {
            return Exclusion.PerShopperCap;
        }

        if (shopper.WasHeldOut(offer.OfferId))
        {
            return Exclusion.InControlGroup;
        }

        return budgets?.IsSpent(offer.OfferId) == true ? Exclusion.BudgetSpent : Exclusion.None;
    }

    private static bool AnySegment(string[] segments, IShopperFacts shopper)
    {
        foreach (var segment in segments)
        {
            if (shopper.HasSegment(segment))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Midnight of the store's local day containing <paramref name="at"/>, as an instant (daylight saving included).</summary>
    public static DateTimeOffset StartOfLocalDay(DateTimeOffset at, TimeZoneInfo timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(at, timeZone);
        var midnight = local.Date;
        return new DateTimeOffset(midnight, timeZone.GetUtcOffset(midnight));
    }
}
