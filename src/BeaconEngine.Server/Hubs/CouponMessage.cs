using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Server.Api;
using MessagePack;

namespace BeaconEngine.Server.Hubs;

/// <summary>
/// The <c>coupon</c> message of the shopper hub. Keys are spelled out so JSON and MessagePack clients
/// both see the contract's camelCase names; times are ISO-8601 strings in both.
/// </summary>
[MessagePackObject]
public sealed class CouponMessage
{
    [Key("couponId")] public required string CouponId { get; init; }

    [Key("offerId")] public required string OfferId { get; init; }

    [Key("brandId")] public required string BrandId { get; init; }

    [Key("title")] public required string Title { get; init; }

    [Key("description")] public string? Description { get; init; }

    [Key("discount")] public required DiscountMessage Discount { get; init; }

    [Key("zoneId")] public required string ZoneId { get; init; }

    [Key("code")] public required string Code { get; init; }

    [Key("issuedAt")] public required string IssuedAt { get; init; }

    [Key("expiresAt")] public required string ExpiresAt { get; init; }

    public static CouponMessage From(Coupon c) => new()
    {
        CouponId = c.CouponId,
        OfferId = c.OfferId,
        BrandId = c.BrandId,
        Title = c.Title,
        Description = c.Description,
        Discount = new DiscountMessage { Kind = c.DiscountKind, Value = (double)c.DiscountValue },
        ZoneId = c.ZoneId,
        Code = c.Code,
        IssuedAt = UtcTimeConverter.Format(c.IssuedAt),
        ExpiresAt = UtcTimeConverter.Format(c.ExpiresAt),
    };
}

[MessagePackObject]
public sealed class DiscountMessage
{
    [Key("kind")] public required string Kind { get; init; }

    // A double, not a decimal: MessagePack writes decimals as strings, which JavaScript clients would not expect.
    [Key("value")] public required double Value { get; init; }
}
