namespace BeaconEngine.Rules.Offers;

/// <summary>
/// An offer as the rules core sees it: where, when, for whom and how often it may fire, and what it is
/// worth. Built from the brand's offer definition when a store's catalog is compiled.
/// </summary>
public sealed record Offer
{
    public required string OfferId { get; init; }

    public required string BrandId { get; init; }

    public required IReadOnlyList<string> ZoneIds { get; init; }

    public required Discount Discount { get; init; }

    /// <summary>The product category (e.g. "dairy"), for interests, opt-outs and learned affinity.</summary>
    public string? Category { get; init; }

    /// <summary>Enter, dwell or exit; an offer with a minimum dwell and no trigger is a dwell offer, otherwise an enter offer.</summary>
    public OfferTrigger? Trigger { get; init; }

    /// <summary>The shopper must have been in the zone at least this long (dwell trigger).</summary>
    public TimeSpan MinDwell { get; init; }

    public DateTimeOffset? ValidFrom { get; init; }

    public DateTimeOffset? ValidTo { get; init; }

    public OfferSchedule? Schedule { get; init; }

    public OfferAudience? Audience { get; init; }

    /// <summary>How many coupons of this offer one shopper may receive.</summary>
    public int MaxPerShopper { get; init; } = 1;

    /// <summary>This offer's own, stricter contact limits (null: the store's apply alone).</summary>
    public OfferCaps? Caps { get; init; }

    /// <summary>The brand's priority or bid: multiplies the expected value. 1 is neutral.</summary>
    public double Priority { get; init; } = 1;

    /// <summary>Share of eligible shoppers held out as the offer's control group (0 to 0.5).</summary>
    public double HoldoutShare { get; init; } = 0.1;

    /// <summary>Only when a gateway of the zone hears the shopper: a phone's own beacon reports may be made up.</summary>
    public bool RequiresGatewayPresence { get; init; }

    public OfferTrigger EffectiveTrigger => Trigger ?? (MinDwell > TimeSpan.Zero ? OfferTrigger.Dwell : OfferTrigger.Enter);

    public bool IsValidAt(DateTimeOffset at) =>
        (ValidFrom is null || at >= ValidFrom) && (ValidTo is null || at < ValidTo);
}
