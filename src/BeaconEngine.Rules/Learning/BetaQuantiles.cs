namespace BeaconEngine.Rules.Learning;

/// <summary>
/// A Beta posterior as a table of 257 quantiles, so a Thompson draw is one table lookup (inverse transform
/// sampling) instead of two Gamma variates. Built once per posterior change from 4,095 seeded draws,
/// sorted: the table is deterministic for given parameters.
/// </summary>
public sealed class BetaQuantiles
{
    private const int Steps = 256;
    private const int Draws = 4095;
    private readonly double[] _quantiles = new double[Steps + 1];

    public BetaQuantiles(double alpha, double beta)
    {
        Alpha = alpha;
        Beta = beta;
        var random = new SplitMix64(0xBE7A_0000_0000_0000 ^ (ulong)BitConverter.DoubleToInt64Bits(alpha) ^ ((ulong)BitConverter.DoubleToInt64Bits(beta) << 1));
        var draws = new double[Draws];
        for (var i = 0; i < Draws; i++)
        {
            draws[i] = random.NextBeta(alpha, beta);
        }

        Array.Sort(draws);
        _quantiles[0] = 0;
        _quantiles[Steps] = 1;
        for (var q = 1; q < Steps; q++)
        {
            _quantiles[q] = draws[(q * (Draws + 1) / Steps) - 1];
        }

        Mean = alpha / (alpha + beta);
    }

    public double Alpha { get; }

    public double Beta { get; }

    public double Mean { get; }

    /// <summary>A draw from the posterior, from 64 random bits: 8 pick the step, the rest interpolate within it.</summary>
    public double Sample(ulong bits)
    {
        var step = (int)(bits >> 56);
        var within = (bits & 0x00FF_FFFF_FFFF_FFFF) * (1.0 / (1UL << 56));
        return _quantiles[step] + ((_quantiles[step + 1] - _quantiles[step]) * within);
    }
}
