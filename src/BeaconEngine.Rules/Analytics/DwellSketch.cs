namespace BeaconEngine.Rules.Analytics;

/// <summary>
/// Dwell times kept as a histogram of logarithmic buckets (the mapping of DDSketch, Masson, Rim and Lee,
/// VLDB 2019): bucket i ≥ 1 holds the times in (γ^(i−2), γ^(i−1)] seconds, γ = (1 + α)/(1 − α), and is read
/// as 2γ^(i−1)/(γ + 1), which is within α = 2 % of every time in it. Bucket 0 holds stays under a second
/// (read as 0). A day's stays need at most about 290 buckets, whatever the number of shoppers, so the
/// state stays bounded, and two hours' histograms add bucket by bucket.
/// </summary>
public static class DwellSketch
{
    /// <summary>The largest relative error of a quantile read from the sketch.</summary>
    public const double RelativeAccuracy = 0.02;

    /// <summary>Longer stays are counted as this long (a day).</summary>
    public const double LongestSeconds = 86_400;

    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    public static int BucketOf(double seconds)
    {
        if (!(seconds >= 1))
        {
            return 0;
        }

        return (int)Math.Ceiling(Math.Log(Math.Min(seconds, LongestSeconds)) / LogGamma) + 1;
    }

    public static double ValueOf(int bucket) => bucket <= 0 ? 0 : 2 * Math.Pow(Gamma, bucket - 1) / (Gamma + 1);

    public static void Add(Dictionary<int, long> histogram, double seconds)
    {
        var bucket = BucketOf(seconds);
        histogram[bucket] = histogram.GetValueOrDefault(bucket) + 1;
    }

    /// <summary>
    /// The q-quantile by the nearest-rank rule: the time of the ⌈q·n⌉-th shortest stay (at least the first),
    /// read from its bucket; null when there is no stay.
    /// </summary>
    public static double? Quantile(IReadOnlyDictionary<int, long> histogram, double q)
    {
        var n = histogram.Values.Sum();
        if (n == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * n));
        long seen = 0;
        foreach (var (bucket, count) in histogram.OrderBy(b => b.Key))
        {
            seen += count;
            if (seen >= rank)
            {
                return ValueOf(bucket);
            }
        }

        return ValueOf(histogram.Keys.Max());
    }
}
