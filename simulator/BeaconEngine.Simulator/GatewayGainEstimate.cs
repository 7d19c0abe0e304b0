using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Simulator;

/// <summary>
/// Experimental, unlabelled: how much each positioned gateway reads above or below the path-loss prior across a
/// store's traffic (a receiver mounted lower, or behind a shelf). Each moment is placed at the point of the floor
/// that fits it best with the current gains (the phone's offset fitted), and each gateway's gain moves by its mean
/// residual there; the gains are kept centred on zero. The sweep's <c>--sweep-gains on</c> scores the public walks
/// with such gains (from the other walk's traffic, the walk's own, the person's walk): each made them worse
/// (benchmarks/RESULTS.md), so the engine does not collect them.
/// </summary>
public static class GatewayGainEstimate
{
    /// <summary>The gain (dB, to be subtracted from readings, i.e. a correction of minus it) per gateway id.</summary>
    public static IReadOnlyDictionary<string, double> Estimate(
        StoreGeometry geometry, ZoneResolverOptions options, IEnumerable<IReadOnlyList<(string GatewayId, double Level)>> moments, int iterations = 5, double limitDb = 10)
    {
        var regions = ZoneRegions.From(geometry) ?? throw new ArgumentException("every gateway needs a position", nameof(geometry));
        var table = regions.Table(options.PathLossExponent, options.GatewayHeightMetres);
        var stride = table.Gateways;
        var expected = geometry.Zones.Select(z => z.ZoneId).Concat(geometry.Gateways.Select(g => g.ZoneId)).Distinct(StringComparer.Ordinal)
            .Select(table.Zone).OfType<double[]>().SelectMany(l => l).ToArray();
        var points = expected.Length / stride;
        var data = moments
            .Select(m => m.Select(r => (Index: regions.GatewayIndex(r.GatewayId), r.Level)).Where(r => r.Index >= 0).ToArray())
            .Where(m => m.Length >= 3)
            .ToList();
        var gains = new double[stride];
        var residual = new double[stride];
        var count = new int[stride];
        for (var k = 0; k < iterations; k++)
        {
            Array.Clear(residual);
            Array.Clear(count);
            foreach (var moment in data)
            {
                var best = double.PositiveInfinity;
                var bestPoint = 0;
                var bestOffset = 0.0;
                for (var p = 0; p < points; p++)
                {
                    var offset = moment.Average(r => r.Level - gains[r.Index] - expected[(p * stride) + r.Index]);
                    var cost = moment.Sum(r => Square(r.Level - gains[r.Index] - expected[(p * stride) + r.Index] - offset));
                    if (cost < best)
                    {
                        (best, bestPoint, bestOffset) = (cost, p, offset);
                    }
                }

                foreach (var r in moment)
                {
                    residual[r.Index] += r.Level - gains[r.Index] - expected[(bestPoint * stride) + r.Index] - bestOffset;
                    count[r.Index]++;
                }
            }

            for (var g = 0; g < stride; g++)
            {
                gains[g] += count[g] == 0 ? 0 : residual[g] / count[g];
            }

            var mean = gains.Average();
            for (var g = 0; g < stride; g++)
            {
                gains[g] = Math.Clamp(gains[g] - mean, -limitDb, limitDb);
            }
        }

        return geometry.Gateways.Where(g => regions.GatewayIndex(g.GatewayId) >= 0)
            .ToDictionary(g => g.GatewayId, g => Math.Round(gains[regions.GatewayIndex(g.GatewayId)], 2), StringComparer.Ordinal);
    }

    private static double Square(double v) => v * v;
}
