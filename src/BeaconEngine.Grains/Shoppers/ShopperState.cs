using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Grains.Shoppers;

[GenerateSerializer]
public sealed class ShopperState : IShopperFacts
{
    [Id(0)] public ShopperProfile? Profile { get; set; }

    /// <summary>Hex SHA-256 of the shopper's token, so erasure can revoke it.</summary>
    [Id(1)] public string? TokenHash { get; set; }

    [Id(2)] public List<TrailEntry> Trail { get; set; } = [];

    /// <summary>Coupons received per offer, for per-shopper caps.</summary>
    [Id(3)] public Dictionary<string, int> CouponsPerOffer { get; set; } = new(StringComparer.Ordinal);

    [Id(4)] public List<Coupon> Wallet { get; set; } = [];

    /// <summary>Offers whose control group the shopper is in.</summary>
    [Id(5)] public HashSet<string> HeldOut { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Learned liking per category and per brand: redemptions minus dismissals.</summary>
    [Id(6)] public Dictionary<string, double> CategoryLiking { get; set; } = new(StringComparer.Ordinal);

    [Id(7)] public Dictionary<string, double> BrandLiking { get; set; } = new(StringComparer.Ordinal);

    [Id(8)] public DateTimeOffset? LastDismissalAt { get; set; }

    [Id(9)] public int VisitCount { get; set; }

    /// <summary>Event time of the latest sighting, to tell a new visit from the same one.</summary>
    [Id(10)] public DateTimeOffset? LastSeenAt { get; set; }

    public string ShopperKey => Profile?.ShopperId ?? string.Empty;

    public bool AcceptsOffers => Profile?.Consent.Offers == true;

    public string? PrimarySegment => Preferences?.Segments is [var first, ..] ? first : null;

    public string? LoyaltyTier => Preferences?.LoyaltyTier;

    /// <summary>When the shopper last received a coupon (kept, so no decision walks the wallet for it).</summary>
    [Id(11)] public DateTimeOffset? LastCouponAt { get; set; }

    private ShopperPreferences? Preferences => Profile?.Preferences;

    public bool HasSegment(string segment) => Preferences is { } p && Array.IndexOf(p.Segments, segment) >= 0;

    public bool IsInterestedIn(string category) => Preferences is { } p && Array.IndexOf(p.Interests, category) >= 0;

    public bool HasOptedOut(string category) => Preferences is { } p && Array.IndexOf(p.NeverOffer, category) >= 0;

    public int CouponsReceived(string offerId) => CouponsPerOffer.GetValueOrDefault(offerId);

    public bool WasHeldOut(string offerId) => HeldOut.Contains(offerId);

    public int CouponsSince(DateTimeOffset since)
    {
        var count = 0;
        foreach (var coupon in Wallet)
        {
            if (coupon.IssuedAt >= since)
            {
                count++;
            }
        }

        return count;
    }

    public double CategoryAffinity(string category) => CategoryLiking.GetValueOrDefault(category);

    public double BrandAffinity(string brandId) => BrandLiking.GetValueOrDefault(brandId);

    public double LikingCeiling => Greatest(CategoryLiking) + Greatest(BrandLiking);

    private static double Greatest(Dictionary<string, double> liking)
    {
        var greatest = 0.0;
        foreach (var value in liking.Values)
        {
            greatest = Math.Max(greatest, value);
        }

        return greatest;
    }

    /// <summary>
    /// Adds a coupon to the wallet and lets go of coupons closed or expired more than
    /// <paramref name="keep"/> ago, so the wallet (walked by daily caps) stays the size of recent history.
    /// </summary>
    public void Receive(Coupon coupon, TimeSpan keep)
    {
        var horizon = coupon.IssuedAt - keep;
        Wallet.RemoveAll(c => (c.ClosedAt ?? c.ExpiresAt) < horizon);
        Wallet.Add(coupon);
        CouponsPerOffer[coupon.OfferId] = CouponsReceived(coupon.OfferId) + 1;
        LastCouponAt = coupon.IssuedAt;
    }

    /// <summary>Feedback on a coupon moves the shopper's liking of its category and brand.</summary>
    public void Learn(Coupon coupon, double delta)
    {
        if (coupon.Category is { } category)
        {
            CategoryLiking[category] = CategoryAffinity(category) + delta;
        }

        BrandLiking[coupon.BrandId] = BrandAffinity(coupon.BrandId) + delta;
    }
}
