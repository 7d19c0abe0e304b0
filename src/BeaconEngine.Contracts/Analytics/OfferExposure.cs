namespace BeaconEngine.Contracts.Analytics;

/// <summary>A shopper was put in an offer's treated group (sent a coupon) or its control group, at a moment.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferExposure")]
public sealed record OfferExposure(string OfferId, string BrandId, bool Treated, DateTimeOffset At);
