namespace BeaconEngine.Contracts.Coupons;

/// <summary>A coupon in a shopper's wallet.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.Coupon")]
public sealed record Coupon
{
    [Id(0)] public required string CouponId { get; init; }

    [Id(1)] public required string OfferId { get; init; }

    [Id(2)] public required string BrandId { get; init; }

    [Id(3)] public required string Title { get; init; }

    [Id(4)] public string? Description { get; init; }

    [Id(5)] public required string DiscountKind { get; init; }

    [Id(6)] public required decimal DiscountValue { get; init; }

    [Id(7)] public required string ZoneId { get; init; }

    [Id(8)] public required string Code { get; init; }

    [Id(9)] public required DateTimeOffset IssuedAt { get; init; }

    [Id(10)] public required DateTimeOffset ExpiresAt { get; init; }

    [Id(11)] public CouponStatus Status { get; init; }

    [Id(12)] public DateTimeOffset? AcknowledgedAt { get; init; }

    [Id(13)] public DateTimeOffset? ClosedAt { get; init; }

    [Id(14)] public string? Category { get; init; }

    /// <summary>
    /// The coupon's place among its offer's reservations (1, 2, ...; 0 for coupons from before ordinals): the
    /// offer counts each coupon's feedback once by it, however often it is sent. Internal, not in the API.
    /// </summary>
    [Id(15), System.Text.Json.Serialization.JsonIgnore] public long Ordinal { get; init; }

    public bool IsUsableAt(DateTimeOffset now) =>
        Status is CouponStatus.Issued or CouponStatus.Delivered && now < ExpiresAt;
}
