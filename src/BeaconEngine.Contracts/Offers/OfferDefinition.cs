namespace BeaconEngine.Contracts.Offers;

/// <summary>A brand's offer for some zones of one store, as stored and as the store's catalog carries it.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferDefinition")]
public sealed record OfferDefinition
{
    [Id(0)] public required string OfferId { get; init; }

    [Id(1)] public required string BrandId { get; init; }

    [Id(2)] public required string StoreId { get; init; }

    [Id(3)] public required string[] ZoneIds { get; init; }

    [Id(4)] public required string Title { get; init; }

    [Id(5)] public string? Description { get; init; }

    /// <summary>"percent" or "amount".</summary>
    [Id(6)] public required string DiscountKind { get; init; }

    [Id(7)] public required decimal DiscountValue { get; init; }

    [Id(8)] public int MinDwellSeconds { get; init; }

    [Id(9)] public DateTimeOffset? ValidFrom { get; init; }

    [Id(10)] public DateTimeOffset? ValidTo { get; init; }

    [Id(11)] public int MaxPerShopper { get; init; } = 1;

    /// <summary>Most coupons the offer may ever issue; null for no limit.</summary>
    [Id(12)] public long? MaxCoupons { get; init; }

    [Id(13)] public int CouponTtlMinutes { get; init; } = 60;

    [Id(14)] public DateTimeOffset CreatedAt { get; init; }

    [Id(15)] public DateTimeOffset UpdatedAt { get; init; }
}
