namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// One thing that happened to an offer. <paramref name="ShopperKey"/> is a one-way pseudonym of the
/// shopper (never the id), given for the events that put a shopper in a group: issued and held out.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferEvent")]
public sealed record OfferEvent(
    OfferEventKind Kind,
    string ZoneId,
    DateTimeOffset At,
    string? ShopperKey = null,
    string? CouponId = null,
    DateTimeOffset? ExpiresAt = null);
