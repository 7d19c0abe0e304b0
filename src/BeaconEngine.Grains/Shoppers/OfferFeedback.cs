using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>Feedback on a coupon that its offer's counters have yet to receive (the shopper's outbox).</summary>
[Immutable, GenerateSerializer]
public sealed record OfferFeedback(
    [property: Id(0)] string OfferId,
    [property: Id(1)] CouponFeedback Feedback,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] long Ordinal = 0);
