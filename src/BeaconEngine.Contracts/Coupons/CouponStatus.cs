namespace BeaconEngine.Contracts.Coupons;

[GenerateSerializer, Alias("BeaconEngine.CouponStatus")]
public enum CouponStatus
{
    /// <summary>In the wallet, not yet acknowledged by the app.</summary>
    Issued,

    /// <summary>The app acknowledged it.</summary>
    Delivered,

    Dismissed,
    Redeemed,
}
