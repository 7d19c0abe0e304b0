namespace BeaconEngine.Contracts.Offers;

/// <summary>What an offer has done so far. Delivered means the shopper's app acknowledged the coupon; expired counts coupons that reached their expiry unredeemed and undismissed.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferStats")]
public sealed record OfferStats(long Issued, long Delivered, long Dismissed, long Redeemed, long? RemainingBudget, long HeldOut = 0, long Expired = 0);
