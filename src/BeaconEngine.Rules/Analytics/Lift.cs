namespace BeaconEngine.Rules.Analytics;

/// <summary>
/// Incremental lift of an offer: the purchase rate of shoppers who were sent it (treated) minus that of
/// its control group (held out), with Newcombe's hybrid score interval for a difference of independent
/// proportions (Newcombe 1998, method 10), built from the two groups' Wilson intervals, and beside it an
/// anytime-valid interval (<see cref="ConfidenceSequence"/>) that stays right however often it is read.
/// </summary>
public readonly record struct Lift(Proportion Treated, Proportion Control, double Difference, double Low, double High, double AnytimeLow, double AnytimeHigh)
{
    /// <summary>Fewer shoppers than this in either group, and the figure is reported as not yet meaningful.</summary>
    public const long MinimumGroup = 30;

    /// <summary>Relative lift (treated ÷ control − 1); null while the control group has bought nothing.</summary>
    public double? Relative => Control.Rate > 0 ? (Treated.Rate / Control.Rate) - 1 : null;

    /// <summary>Both groups are large enough for the interval's coverage to be trusted.</summary>
    public bool EnoughData => Treated.Trials >= MinimumGroup && Control.Trials >= MinimumGroup;

    /// <summary>The fixed-horizon interval leaves out zero: right for one look at a size chosen in advance.</summary>
    public bool Significant => Treated.Trials > 0 && Control.Trials > 0 && (Low > 0 || High < 0);

    /// <summary>The anytime-valid interval leaves out zero: right however often the figure has been read.</summary>
    public bool SignificantAnytime => Treated.Trials > 0 && Control.Trials > 0 && (AnytimeLow > 0 || AnytimeHigh < 0);

    public static Lift Of(long treatedBuyers, long treated, long controlBuyers, long control, double z = Proportion.Z95)
    {
        var t = Proportion.Of(treatedBuyers, treated, z);
        var c = Proportion.Of(controlBuyers, control, z);
        if (treated == 0 || control == 0)
        {
            // One side unknown: the difference could be anything.
            return new Lift(t, c, t.Rate - c.Rate, -1, 1, -1, 1);
        }

        var d = t.Rate - c.Rate;
        var low = d - Math.Sqrt(Square(t.Rate - t.Low) + Square(c.High - c.Rate));
        var high = d + Math.Sqrt(Square(t.High - t.Rate) + Square(c.Rate - c.Low));
        var (anytimeLow, anytimeHigh) = ConfidenceSequence.Around(d, StandardError(treatedBuyers, treated, controlBuyers, control), treated + control);
        return new Lift(t, c, d, Math.Max(-1, low), Math.Min(1, high), Math.Max(-1, anytimeLow), Math.Min(1, anytimeHigh));
    }

    /// <summary>
    /// The difference's standard error, each group's rate taken as (x + 1) / (n + 2) (Agresti and Caffo 2000)
    /// so that 0 of 5 against 5 of 5 still has a spread: the plain rates would give none and a certain effect.
    /// </summary>
    internal static double StandardError(long x1, long n1, long x2, long n2)
    {
        var p1 = (x1 + 1.0) / (n1 + 2.0);
        var p2 = (x2 + 1.0) / (n2 + 2.0);
        return Math.Sqrt((p1 * (1 - p1) / n1) + (p2 * (1 - p2) / n2));
    }

    private static double Square(double x) => x * x;
}
