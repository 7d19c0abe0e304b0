using System.Collections.Concurrent;

namespace BeaconEngine.Rules.Learning;

/// <summary>
/// What the engine has learned of how likely an offer's coupons are redeemed, overall and per shopper
/// segment, as Beta posteriors. Thompson sampling draws from them: a new offer with few observations
/// gets wide draws and so its chance to be shown (exploration), a proven one narrow draws near its
/// rate (exploitation). Thread-safe; updated as feedback arrives.
/// </summary>
public sealed class RedemptionModel
{
    /// <summary>Prior Beta(1, 9): a mean of 10 %, typical of in-store coupons, worth ten observations.</summary>
    public const double PriorAlpha = 1;

    public const double PriorBeta = 9;

    /// <summary>A segment's own posterior is used once it has this many outcomes; before, the offer's overall one.</summary>
    public const int SegmentMinimum = 20;

    private static readonly BetaQuantiles Prior = new(PriorAlpha, PriorBeta);
    private readonly ConcurrentDictionary<(string OfferId, string Segment), Posterior> _posteriors = new();

    /// <summary>Counts a coupon's outcome: redeemed, or closed without redemption (dismissed or expired).</summary>
    public void Record(string offerId, string? segment, bool redeemed)
    {
        Add((offerId, string.Empty), redeemed);
        if (!string.IsNullOrEmpty(segment))
        {
            Add((offerId, segment), redeemed);
        }
    }

    /// <summary>Seeds an offer's posterior, overall (segment null) or for a segment, from stored counts (e.g. after a restart).</summary>
    public void Seed(string offerId, long redeemed, long notRedeemed, string? segment = null) =>
        _posteriors[(offerId, segment ?? string.Empty)] = Posterior.Of(redeemed, notRedeemed);

    /// <summary>The posterior to sample for this offer and segment.</summary>
    public BetaQuantiles PosteriorOf(string offerId, string? segment)
    {
        if (!string.IsNullOrEmpty(segment) && _posteriors.TryGetValue((offerId, segment), out var own) && own.Count >= SegmentMinimum)
        {
            return own.Quantiles;
        }

        return _posteriors.TryGetValue((offerId, string.Empty), out var overall) ? overall.Quantiles : Prior;
    }

    private void Add((string, string) key, bool redeemed) =>
        _posteriors.AddOrUpdate(
            key,
            static (_, r) => r ? Posterior.Of(1, 0) : Posterior.Of(0, 1),
            static (_, p, r) => r ? Posterior.Of(p.Redeemed + 1, p.NotRedeemed) : Posterior.Of(p.Redeemed, p.NotRedeemed + 1),
            redeemed);

    /// <summary>Counts and their quantile table; a new one per outcome, so readers never see a half-built table.</summary>
    private sealed record Posterior(long Redeemed, long NotRedeemed, BetaQuantiles Quantiles)
    {
        public long Count => Redeemed + NotRedeemed;

        public static Posterior Of(long redeemed, long notRedeemed) =>
            new(redeemed, notRedeemed, new BetaQuantiles(PriorAlpha + redeemed, PriorBeta + notRedeemed));
    }
}
