namespace BeaconEngine.Contracts.Analytics;

/// <summary>How many of each event, for an offer overall, one of its zones or one hour.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CountsByKind")]
public sealed record CountsByKind(long Triggered, long HeldOut, long Issued, long Opened, long Dismissed, long NotRelevant, long Redeemed, long Expired);
