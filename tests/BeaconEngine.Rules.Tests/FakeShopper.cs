using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Rules.Tests;

/// <summary>A shopper whose facts a test sets directly.</summary>
internal sealed class FakeShopper : IShopperFacts, IBudgetView
{
    public string ShopperKey { get; init; } = "shp_test";

    public bool AcceptsOffers { get; set; } = true;

    public HashSet<string> Segments { get; } = [];

    public string? PrimarySegment => Segments.FirstOrDefault();

    public string? LoyaltyTier { get; set; }

    public int VisitCount { get; set; } = 1;

    public HashSet<string> Interests { get; } = [];

    public HashSet<string> OptedOut { get; } = [];

    public Dictionary<string, int> Received { get; } = [];

    public HashSet<string> HeldOut { get; } = [];

    public List<DateTimeOffset> CouponTimes { get; } = [];

    public DateTimeOffset? LastDismissalAt { get; set; }

    public Dictionary<string, double> Categories { get; } = [];

    public Dictionary<string, double> Brands { get; } = [];

    public HashSet<string> Spent { get; } = [];

    public DateTimeOffset? LastCouponAt => CouponTimes.Count == 0 ? null : CouponTimes.Max();

    public bool HasSegment(string segment) => Segments.Contains(segment);

    public bool IsInterestedIn(string category) => Interests.Contains(category);

    public bool HasOptedOut(string category) => OptedOut.Contains(category);

    public int CouponsReceived(string offerId) => Received.GetValueOrDefault(offerId);

    public bool WasHeldOut(string offerId) => HeldOut.Contains(offerId);

    public int CouponsSince(DateTimeOffset since) => CouponTimes.Count(t => t >= since);

    public double CategoryAffinity(string category) => Categories.GetValueOrDefault(category);

    public double BrandAffinity(string brandId) => Brands.GetValueOrDefault(brandId);

    public double LikingCeiling => Math.Max(0, Categories.Values.DefaultIfEmpty().Max()) + Math.Max(0, Brands.Values.DefaultIfEmpty().Max());

    public bool IsSpent(string offerId) => Spent.Contains(offerId);

    /// <summary>Receives the coupon the engine chose, as the grain would.</summary>
    public void Receive(string offerId, DateTimeOffset at)
    {
        Received[offerId] = CouponsReceived(offerId) + 1;
        CouponTimes.Add(at);
    }

    public void Dismiss(string? category, string brand, DateTimeOffset at)
    {
        if (category is not null)
        {
            Categories[category] = CategoryAffinity(category) - 1;
        }

        Brands[brand] = BrandAffinity(brand) - 1;
        LastDismissalAt = at;
    }
}
