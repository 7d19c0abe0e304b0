namespace BeaconEngine.Rules.Offers;

/// <summary>
/// An offer's own contact limits, on top of the store's: a brand that wants to reach only shoppers who
/// have not heard much today, or to keep a longer distance after a coupon or a dismissal.
/// </summary>
public sealed record OfferCaps
{
    /// <summary>Fire only while the shopper has had fewer coupons than this today (all brands).</summary>
    public int? MaxCouponsToday { get; init; }

    /// <summary>Fire only this long after the shopper's last coupon (any brand).</summary>
    public TimeSpan? MinGap { get; init; }

    /// <summary>Fire only this long after the shopper's last dismissal.</summary>
    public TimeSpan? QuietAfterDismissal { get; init; }
}
