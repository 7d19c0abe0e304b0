namespace BeaconEngine.Contracts.Coupons;

/// <summary>What a till's scan of a coupon code leads to.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CouponTicket")]
public sealed record CouponTicket(string StoreId, string ShopperId, string CouponId, string OfferId, DateTimeOffset ExpiresAt);
