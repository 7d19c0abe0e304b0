using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Benchmarks.Rules;

/// <summary>
/// One small, fixed shopper for <see cref="RulesBenchmarks"/>: a returning visitor (3 visits) who opted
/// out of one category and has no coupon history, so no contact limit stops the decision and every
/// offer's own conditions decide. Answers from fields, without allocating, so the benchmark measures
/// the engine rather than a shopper store.
/// </summary>
public sealed class BenchmarkShopper : IShopperFacts
{
    private readonly string[] _optedOut;

    public BenchmarkShopper(int visitCount, params string[] optedOutCategories)
    {
        VisitCount = visitCount;
        _optedOut = optedOutCategories;
    }

    /// <summary>The categories the shopper opted out of; RulesEngine's input carries the same array.</summary>
    public IReadOnlyList<string> OptedOutCategories => _optedOut;

    public string ShopperKey => "shopper-bench-1";

    public bool AcceptsOffers => true;

    public string? PrimarySegment => null;

    public string? LoyaltyTier => null;

    public int VisitCount { get; }

    public DateTimeOffset? LastCouponAt => null;

    public DateTimeOffset? LastDismissalAt => null;

    public bool HasSegment(string segment) => false;

    public bool IsInterestedIn(string category) => false;

    public bool HasOptedOut(string category)
    {
        foreach (var optedOut in _optedOut)
        {
            if (string.Equals(optedOut, category, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public int CouponsReceived(string offerId) => 0;

    public bool WasHeldOut(string offerId) => false;

    public int CouponsSince(DateTimeOffset since) => 0;

    public double CategoryAffinity(string category) => 0;

    public double BrandAffinity(string brandId) => 0;

    public double LikingCeiling => 0;
}
