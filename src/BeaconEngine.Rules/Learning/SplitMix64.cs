namespace BeaconEngine.Rules.Learning;

/// <summary>
/// A tiny, fast, seedable random source (Steele, Lea, Flood 2014). A struct so that each decision draws
/// from its own stream without allocating, and the same inputs always give the same draws.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in (0, 1): never exactly 0, so logarithms are safe.</summary>
    public double NextDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    public double NextGaussian()
    {
        // Box-Muller; one of the pair is enough here.
        var u1 = NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; boosted for shape below 1).</summary>
    public double NextGamma(double shape)
    {
        if (shape < 1)
        {
            return NextGamma(shape + 1) * Math.Pow(NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextGaussian();
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    /// <summary>A Beta(alpha, beta) draw.</summary>
    public double NextBeta(double alpha, double beta)
    {
        var a = NextGamma(alpha);
        var b = NextGamma(beta);
        return a / (a + b);
    }

    /// <summary>FNV-1a over a string, to seed streams from names.</summary>
    public static ulong Hash(string text, ulong basis = 0xCBF29CE484222325)
    {
        var hash = basis;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3;
        }

        return hash;
    }
}
