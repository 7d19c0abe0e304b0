using MessagePack;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// The hub's coupon as an outside MessagePack client would declare it from the contract. Keys are exact,
/// so a server sending other names would leave these fields empty.
/// </summary>
[MessagePackObject]
public sealed class WireCoupon
{
    [Key("couponId")] public string? CouponId { get; set; }

    [Key("offerId")] public string? OfferId { get; set; }

    [Key("brandId")] public string? BrandId { get; set; }

    [Key("title")] public string? Title { get; set; }

    [Key("description")] public string? Description { get; set; }

    [Key("discount")] public WireDiscount? Discount { get; set; }

    [Key("zoneId")] public string? ZoneId { get; set; }

    [Key("code")] public string? Code { get; set; }

    [Key("issuedAt")] public string? IssuedAt { get; set; }

    [Key("expiresAt")] public string? ExpiresAt { get; set; }
}

[MessagePackObject]
public sealed class WireDiscount
{
    [Key("kind")] public string? Kind { get; set; }

    [Key("value")] public double Value { get; set; }
}
