namespace BeaconEngine.Rules.Offers;

/// <summary>
/// An offer as the rules core sees it: where and when it may fire and how often.
/// Built from the brand's offer definition when a store's catalog is compiled.
/// </summary>
public sealed record Offer
{
    public required string OfferId { get; init; }

    public required string BrandId { get; init; }

    public required IReadOnlyList<string> ZoneIds { get; init; }

    public required Discount Discount { get; init; }

    /// <summary>The shopper must have been in the zone at least this long.</summary>
    public TimeSpan MinDwell { get; init; }

    public DateTimeOffset? ValidFrom { get; init; }

    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>How many coupons of this offer one shopper may receive.</summary>
    public int MaxPerShopper { get; init; } = 1;

    /// <summary>Higher wins when several offers are eligible; ties go to the larger discount.</summary>
    public double Priority { get; init; }

    public bool IsValidAt(DateTimeOffset at) =>
        (ValidFrom is null || at >= ValidFrom) && (ValidTo is null || at < ValidTo);
}
