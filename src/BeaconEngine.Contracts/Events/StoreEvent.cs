namespace BeaconEngine.Contracts.Events;

/// <summary>
/// One thing that happened in a store, as the operator's event stream shows it. The shopper is named by
/// <see cref="Shopper"/>, a one-way pseudonym (never the id), so the stream holds nothing erasure must find.
/// <see cref="Offset"/> is 0 until the store's log gives the event its place; <see cref="Id"/> is given at the source.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreEvent")]
public sealed record StoreEvent
{
    [Id(0)] public long Offset { get; init; }

    /// <summary>One of <see cref="StoreEventTypes"/>.</summary>
    [Id(1)] public required string Type { get; init; }

    [Id(2)] public required DateTimeOffset At { get; init; }

    [Id(3)] public string? Shopper { get; init; }

    [Id(4)] public string? OfferId { get; init; }

    [Id(5)] public string? BrandId { get; init; }

    [Id(6)] public string? ZoneId { get; init; }

    [Id(7)] public string? CouponId { get; init; }

    [Id(8)] public DateTimeOffset? ExpiresAt { get; init; }

    [Id(9)] public string? PurchaseId { get; init; }

    [Id(10)] public decimal? Total { get; init; }

    /// <summary>A basket's spend per brand.</summary>
    [Id(11)] public Dictionary<string, decimal>? SpendByBrand { get; init; }

    /// <summary>The offers a basket counted for, each with the group ("treated" or "control").</summary>
    [Id(12)] public Dictionary<string, string>? CountedFor { get; init; }

    /// <summary>
    /// The event's id, made where it happened (the shopper's pseudonym and their event number), the same on every
    /// resend; the log stores an id once within its window, and a reader may skip an id it has seen.
    /// </summary>
    [Id(13)] public string? Id { get; init; }
}

/// <summary>The event types of a store's stream.</summary>
public static class StoreEventTypes
{
    /// <summary>A decision: the rules chose an offer and the shopper got its coupon (stored in the wallet).</summary>
    public const string Issued = "issued";

    /// <summary>A decision: the rules chose an offer and the shopper fell in its control group, so got nothing.</summary>
    public const string HeldOut = "heldOut";

    /// <summary>The app acknowledged the coupon (the offer's stats count it as delivered and opened).</summary>
    public const string Delivered = "delivered";

    public const string Dismissed = "dismissed";

    /// <summary>The shopper said the coupon was not relevant (it is dismissed too, with its own event).</summary>
    public const string NotRelevant = "notRelevant";

    /// <summary>A till redeemed the coupon's code.</summary>
    public const string Redeemed = "redeemed";

    /// <summary>A till reported a basket of the shopper.</summary>
    public const string Purchase = "purchase";
}
