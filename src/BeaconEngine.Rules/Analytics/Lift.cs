namespace BeaconEngine.Rules.Analytics;

/// <summary>
/// Incremental lift of an offer: the purchase rate of shoppers who were sent it (treated) minus that of
/// its control group (held out), with Newcombe's hybrid score interval for a difference of independent
/// proportions (Newcombe 1998, method 10), built from the two groups' Wilson intervals.
/// </summary>
public readonly record struct Lift(Proportion Treated, Proportion Control, double Difference, double Low, double High)
{
    /// <summary>Fewer shoppers than this in either group, and the figure is reported as not yet meaningful.</summary>
    public const long MinimumGroup = 30;

    /// <summary>Relative lift (treated ÷ control − 1); null while the control group has bought nothing.</summary>
    public double? Relative => Control.Rate > 0 ? (Treated.Rate / Control.Rate) - 1 : null;

    /// <summary>Both groups are large enough for the interval's coverage to be trusted.</summary>
    public bool EnoughData => Treated.Trials >= MinimumGroup && Control.Trials >= MinimumGroup;

    /// <summary>The interval leaves out zero: the data show an effect, in the direction of its sign.</summary>
    public bool Significant => Treated.Trials > 0 && Control.Trials > 0 && (Low > 0 || High < 0);

    public static Lift Of(long treatedBuyers, long treated, long controlBuyers, long control, double z = Proportion.Z95)
    {
        var t = Proportion.Of(treatedBuyers, treated, z);
        var c = Proportion.Of(controlBuyers, control, z);
        if (treated == 0 || control == 0)
        {
            // One side unknown: the difference could be anything.
            return new Lift(t, c, t.Rate - c.Rate, -1, 1);
        }

        var d = t.Rate - c.Rate;
        var low = d - Math.Sqrt(Square(t.Rate - t.Low) + Square(c.High - c.Rate));
        var high = d + Math.Sqrt(Square(t.High - t.Rate) + Square(c.Rate - c.Low));
        return new Lift(t, c, d, Math.Max(-1, low), Math.Min(1, high));
    }

    private static double Square(double x) => x * x;
}
