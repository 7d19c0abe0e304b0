namespace BeaconEngine.Contracts.Offers;

/// <summary>How often an offer's coupons were redeemed or not, overall (segment null) or for one shopper segment.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferOutcomeCount")]
public sealed record OfferOutcomeCount(string OfferId, string? Segment, long Redeemed, long NotRedeemed);
