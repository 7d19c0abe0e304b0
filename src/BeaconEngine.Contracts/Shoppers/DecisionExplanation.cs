namespace BeaconEngine.Contracts.Shoppers;

/// <summary>
/// Why the rules decided as they did for one shopper and zone event: the decision ("issue", "holdout",
/// "none"), what contact limit blocked everything (if any), and each candidate's outcome and score.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.DecisionExplanation")]
public sealed record DecisionExplanation(string Decision, string? OfferId, string? BlockedBy, ExplainedOffer[] Candidates);

/// <summary>One candidate: "chosen", or why not (e.g. "dwellTooShort", "lowerScore"), with its score when it was scored.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ExplainedOffer")]
public sealed record ExplainedOffer(string OfferId, string Outcome, double? Score, double? RedemptionChance);
