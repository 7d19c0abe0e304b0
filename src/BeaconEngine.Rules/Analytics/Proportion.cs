namespace BeaconEngine.Rules.Analytics;

/// <summary>A share of a group, <paramref name="Successes"/> of <paramref name="Trials"/>, with its Wilson score interval.</summary>
public readonly record struct Proportion(long Successes, long Trials, double Rate, double Low, double High)
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval (Wilson 1927). Unlike the textbook p ± z·√(p(1−p)/n), it stays inside
    /// [0, 1] and keeps its coverage for small groups and rates near 0 or 1, which is where a new offer's
    /// figures live. With no trials the rate is unknown: 0 with the whole [0, 1] as its interval.
    /// </summary>
    public static Proportion Of(long successes, long trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return new Proportion(0, 0, 0, 0, 1);
        }

        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z / denominator * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));

        // At 0 and n successes the bounds are exactly 0 and 1; rounding must not nudge them off.
        var low = successes == 0 ? 0 : Math.Max(0, centre - half);
        var high = successes == trials ? 1 : Math.Min(1, centre + half);
        return new Proportion(successes, trials, p, low, high);
    }
}
