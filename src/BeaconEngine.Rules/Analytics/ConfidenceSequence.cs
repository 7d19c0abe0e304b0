namespace BeaconEngine.Rules.Analytics;

/// <summary>
/// Anytime-valid intervals: a confidence sequence, a whole family of intervals (one per group size) that
/// all cover the true difference at the same time with probability at least 1 − α. A brand may look at
/// its figures after every shopper and stop the moment the interval leaves out zero; a fixed-horizon 95 %
/// interval checked that way is wrong far more often than 5 % of the time.
/// </summary>
/// <remarks>
/// The boundary is Robbins' two-sided normal mixture (Howard, Ramdas, McAuliffe and Sekhon 2021,
/// "Time-uniform, nonparametric, nonasymptotic confidence sequences", Annals of Statistics 49(2)), used as
/// the asymptotic confidence sequence of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas (2024),
/// "Time-uniform central limit theory and asymptotic confidence sequences", Annals of Statistics:
/// <code>
///   estimate ± σ̂ · √( 2(tρ² + 1) / (t²ρ²) · ln( √(tρ² + 1) / α ) )
/// </code>
/// after t observations with standard deviation σ̂. For a difference between two groups, t is the number
/// of shoppers in both and σ̂/√t is the difference's standard error, which gives
/// <code>
///   estimate ± SE · √( 2 (1 + 1/(tρ²)) · ln( √(tρ² + 1) / α ) )
/// </code>
/// ρ² sets where the sequence is tightest; ρ² = (−W₋₁(−α² e^(α²−1)) − 1) / t* makes it tightest at
/// t* shoppers (the paper's Appendix; the drconfseq package's <c>best_rho2_exact</c>).
/// </remarks>
public static class ConfidenceSequence
{
    /// <summary>1 − the coverage: 0.05 for 95 %.</summary>
    public const double Alpha = 0.05;

    /// <summary>
    /// Shoppers (both groups together) at which the sequence is tightest. An offer in one store reaches a
    /// thousand shoppers in days; earlier and later the sequence is wider than it could be, never invalid.
    /// </summary>
    public const double TightestAt = 1000;

    /// <summary>ρ² for <see cref="TightestAt"/> and <see cref="Alpha"/>, computed once.</summary>
    public static readonly double Rho2 = Rho2For(TightestAt, Alpha);

    /// <summary>The mixture's ρ² that makes the sequence tightest at <paramref name="tightestAt"/> observations.</summary>
    public static double Rho2For(double tightestAt, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tightestAt, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(alpha, 1);
        var a2 = alpha * alpha;
        return (-LambertWMinus1(-a2 * Math.Exp(a2 - 1)) - 1) / tightestAt;
    }

    /// <summary>
    /// How many standard errors the sequence reaches either side of the estimate after
    /// <paramref name="observations"/> (the fixed-horizon interval's counterpart is z = 1.96).
    /// </summary>
    public static double Multiplier(double observations, double rho2, double alpha = Alpha)
    {
        if (observations <= 0)
        {
            return double.PositiveInfinity;
        }

        var tr = observations * rho2;
        return Math.Sqrt(2 * (1 + (1 / tr)) * Math.Log(Math.Sqrt(tr + 1) / alpha));
    }

    /// <summary>The sequence's interval for <paramref name="estimate"/> with <paramref name="standardError"/> after <paramref name="observations"/>.</summary>
    public static (double Low, double High) Around(double estimate, double standardError, double observations)
    {
        var half = standardError * Multiplier(observations, Rho2);
        return (estimate - half, estimate + half);
    }

    /// <summary>
    /// The lower branch W₋₁ of Lambert's W on [−1/e, 0): the w ≤ −1 with w·eʷ = x. Halley's iteration
    /// from the asymptotic start ln(−x) − ln(−ln(−x)) (Corless et al. 1996) converges in a few steps.
    /// </summary>
    public static double LambertWMinus1(double x)
    {
        if (x is >= 0 or < -1 / Math.E)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "W₋₁ is defined on [−1/e, 0).");
        }

        var w = x < -0.25 ? -1 - Math.Sqrt(2 * (1 + (Math.E * x))) : Math.Log(-x) - Math.Log(-Math.Log(-x));
        for (var i = 0; i < 50; i++)
        {
            var ew = Math.Exp(w);
            var f = (w * ew) - x;
            if (f == 0)
            {
                break;
            }

            var step = f / ((ew * (w + 1)) - ((w + 2) * f / (2 * w + 2)));
            if (!double.IsFinite(step))
            {
                // At the branch point −1/e the derivative vanishes; w is already as close as doubles allow.
                break;
            }

            w -= step;
            if (Math.Abs(step) <= 1e-15 * Math.Abs(w))
            {
                break;
            }
        }

        return w;
    }
}
