namespace BeaconEngine.Rules.Analytics;

/// <summary>A group's spend per shopper: how many shoppers, the sum and the sum of squares of what each spent.</summary>
public readonly record struct SpendSample(long Shoppers, double Sum, double SumOfSquares)
{
    public double Mean => Shoppers > 0 ? Sum / Shoppers : 0;

    /// <summary>The unbiased sample variance (n − 1 below); 0 for fewer than two shoppers.</summary>
    public double Variance => Shoppers > 1 ? Math.Max(0, (SumOfSquares - (Sum * Sum / Shoppers)) / (Shoppers - 1)) : 0;

    public static SpendSample Of(IEnumerable<double> spends)
    {
        long n = 0;
        double sum = 0, squares = 0;
        foreach (var s in spends)
        {
            n++;
            sum += s;
            squares += s * s;
        }

        return new SpendSample(n, sum, squares);
    }
}

/// <summary>
/// The difference between two groups' mean spend per shopper (treated − control), with Welch's 95 %
/// interval (Welch 1947: unequal variances, Welch–Satterthwaite degrees of freedom) and the anytime-valid
/// interval of <see cref="ConfidenceSequence"/> around the same standard error.
/// </summary>
public readonly record struct MeanDifference(
    SpendSample Treated, SpendSample Control, double Difference, double StandardError, double DegreesOfFreedom,
    double Low, double High, double AnytimeLow, double AnytimeHigh)
{
    /// <summary>Welch's interval needs a variance in each group: two shoppers at least.</summary>
    public bool Known => Treated.Shoppers >= 2 && Control.Shoppers >= 2;

    /// <summary>The anytime-valid interval leaves out zero.</summary>
    public bool SignificantAnytime => Known && (AnytimeLow > 0 || AnytimeHigh < 0);

    public static MeanDifference Of(SpendSample treated, SpendSample control, double confidence = 0.95)
    {
        var d = treated.Mean - control.Mean;
        if (treated.Shoppers < 2 || control.Shoppers < 2)
        {
            return new MeanDifference(treated, control, d, double.NaN, double.NaN, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity);
        }

        var v1 = treated.Variance / treated.Shoppers;
        var v2 = control.Variance / control.Shoppers;
        var se = Math.Sqrt(v1 + v2);
        if (se == 0)
        {
            // Everyone in each group spent the same: Welch's interval is the point; the anytime one still allows for the other group's spread.
            var (low0, high0) = ConfidenceSequence.Around(d, AnytimeStandardError(treated, control), treated.Shoppers + control.Shoppers);
            return new MeanDifference(treated, control, d, 0, double.PositiveInfinity, d, d, low0, high0);
        }

        var df = (v1 + v2) * (v1 + v2) / ((v1 * v1 / (treated.Shoppers - 1)) + (v2 * v2 / (control.Shoppers - 1)));
        var half = StudentT.Quantile(1 - ((1 - confidence) / 2), df) * se;
        var (anytimeLow, anytimeHigh) = ConfidenceSequence.Around(d, AnytimeStandardError(treated, control), treated.Shoppers + control.Shoppers);
        return new MeanDifference(treated, control, d, se, df, d - half, d + half, anytimeLow, anytimeHigh);
    }

    /// <summary>
    /// The standard error for the anytime interval, each group's variance taken as at least that of both
    /// groups together. Spend is mostly zeros with a few large baskets: a small group (a 10 % control of the
    /// first shoppers) often holds no basket at all, and its own variance of 0 would claim a certainty the
    /// data do not have. Under no effect the pooled variance is the right one; under an effect it is larger
    /// than the smaller group's, so the interval only widens.
    /// </summary>
    private static double AnytimeStandardError(SpendSample treated, SpendSample control)
    {
        var pooled = new SpendSample(treated.Shoppers + control.Shoppers, treated.Sum + control.Sum, treated.SumOfSquares + control.SumOfSquares).Variance;
        return Math.Sqrt((Math.Max(treated.Variance, pooled) / treated.Shoppers) + (Math.Max(control.Variance, pooled) / control.Shoppers));
    }
}
