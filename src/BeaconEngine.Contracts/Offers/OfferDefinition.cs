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

    /// <summary>Product category, for interests, opt-outs and learned affinity.</summary>
    [Id(16)] public string? Category { get; init; }

    /// <summary>"enter", "dwell" or "exit"; null: dwell when a minimum dwell is set, else enter.</summary>
    [Id(17)] public string? Trigger { get; init; }

    /// <summary>Days ("monday".."sunday") on which the offer may fire; empty: every day.</summary>
    [Id(18)] public string[] ScheduleDays { get; init; } = [];

    /// <summary>Daily local-time window "HH:mm"; null ends: open.</summary>
    [Id(19)] public string? ScheduleFrom { get; init; }

    [Id(20)] public string? ScheduleTo { get; init; }

    [Id(21)] public string[] Segments { get; init; } = [];

    [Id(22)] public string[] LoyaltyTiers { get; init; } = [];

    [Id(23)] public int? MinVisits { get; init; }

    [Id(24)] public int? MaxVisits { get; init; }

    /// <summary>"any", "new" or "returning".</summary>
    [Id(25)] public string Visitors { get; init; } = "any";

    [Id(26)] public bool RequiresInterest { get; init; }

    /// <summary>The brand's priority or bid, multiplying expected value; 1 is neutral.</summary>
    [Id(27)] public double Priority { get; init; } = 1;

    /// <summary>Share of eligible shoppers held out as the control group.</summary>
    [Id(28)] public double HoldoutShare { get; init; } = 0.1;

    /// <summary>The offer's own contact limits on top of the store's; null: none.</summary>
    [Id(29)] public int? CapMaxCouponsToday { get; init; }

    [Id(30)] public double? CapMinGapMinutes { get; init; }

    [Id(31)] public double? CapQuietAfterDismissalMinutes { get; init; }

    /// <summary>"any" (the phone's beacon reports may place the shopper) or "gateway" (a gateway of the zone must hear them).</summary>
    [Id(32)] public string Presence { get; init; } = "any";
}
