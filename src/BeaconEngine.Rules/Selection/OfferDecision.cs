using BeaconEngine.Rules.Offers;

namespace BeaconEngine.Rules.Selection;

public enum DecisionKind
{
    /// <summary>Nothing worth sending.</summary>
    None,

    /// <summary>Send a coupon of <see cref="OfferDecision.Offer"/>.</summary>
    Issue,

    /// <summary>The shopper falls in the offer's control group: record it, send nothing.</summary>
    Holdout,
}

/// <summary>The outcome of one zone event. <see cref="BlockedBy"/> names a contact limit that stopped every offer.</summary>
public readonly record struct OfferDecision(DecisionKind Kind, Offer? Offer, double Score, Exclusion BlockedBy, int Candidates);

/// <summary>One candidate of an explained decision: why it was left out, or its score.</summary>
public sealed record CandidateExplanation(string OfferId, Exclusion Exclusion, double? Score, double? RedemptionChance);
