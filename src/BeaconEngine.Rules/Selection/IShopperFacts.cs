namespace BeaconEngine.Rules.Selection;

/// <summary>What the rules need to know of a shopper. Implementations answer without allocating.</summary>
public interface IShopperFacts
{
    /// <summary>A stable key of the shopper, for holdout assignment and seeded exploration.</summary>
    string ShopperKey { get; }

    /// <summary>Whether the shopper agreed to receive offers at all.</summary>
    bool AcceptsOffers { get; }

    bool HasSegment(string segment);

    /// <summary>The first segment the shopper declared, for segment-level learning; null if none.</summary>
    string? PrimarySegment { get; }

    string? LoyaltyTier { get; }

    /// <summary>Visits to the store, the current one included (1 on a first visit).</summary>
    int VisitCount { get; }

    bool IsInterestedIn(string category);

    bool HasOptedOut(string category);

    /// <summary>How many coupons of the offer the shopper has received.</summary>
    int CouponsReceived(string offerId);

    /// <summary>Whether the shopper is in the offer's control group already.</summary>
    bool WasHeldOut(string offerId);

    /// <summary>Coupons received (any brand) at or after <paramref name="since"/>.</summary>
    int CouponsSince(DateTimeOffset since);

    DateTimeOffset? LastCouponAt { get; }

    DateTimeOffset? LastDismissalAt { get; }

    /// <summary>Learned liking of a category: redemptions minus dismissals.</summary>
    double CategoryAffinity(string category);

    /// <summary>Learned liking of a brand: redemptions minus dismissals.</summary>
    double BrandAffinity(string brandId);

    /// <summary>
    /// At least the greatest <see cref="CategoryAffinity"/> plus the greatest <see cref="BrandAffinity"/>
    /// (0 when the shopper likes nothing yet): the most liking can lift any offer's score, so a decision
    /// knows when it can stop looking.
    /// </summary>
    double LikingCeiling { get; }
}
