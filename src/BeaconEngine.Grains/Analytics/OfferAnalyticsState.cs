namespace BeaconEngine.Grains.Analytics;

[GenerateSerializer]
public sealed class OfferAnalyticsState
{
    /// <summary>Event counts keyed by "kind|zone|hour" (hour as Unix seconds of its start, UTC).</summary>
    [Id(0)] public Dictionary<string, long> Counts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Coupons not yet closed (redeemed or dismissed), to count those that expire.</summary>
    [Id(1)] public Dictionary<string, OpenCoupon> OpenCoupons { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Coupons that expired, keyed as <see cref="Counts"/> (by the hour they expired in).</summary>
    [Id(2)] public Dictionary<string, long> Expired { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Shoppers (by pseudonym) in the treated or control group.</summary>
    [Id(3)] public Dictionary<string, GroupMember> Members { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer]
public sealed record OpenCoupon([property: Id(0)] string ZoneId, [property: Id(1)] DateTimeOffset ExpiresAt);

/// <summary>A shopper in a group: since when, whether they bought the brand, and what they spent on it since (for revenue lift).</summary>
[GenerateSerializer]
public sealed record GroupMember([property: Id(0)] bool Treated, [property: Id(1)] DateTimeOffset Since, [property: Id(2)] bool Bought, [property: Id(3)] decimal Spent = 0);
