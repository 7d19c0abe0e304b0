namespace BeaconEngine.Contracts.Offers;

/// <summary>What happened to a coupon after it was issued.</summary>
[GenerateSerializer, Alias("BeaconEngine.CouponFeedback")]
public enum CouponFeedback
{
    Delivered,
    Dismissed,
    Redeemed,
}
