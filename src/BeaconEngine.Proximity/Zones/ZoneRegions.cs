using System.Collections.Frozen;

namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// Where on the floor each zone lies, as sample points, and where each gateway hangs: what the uncalibrated
/// model needs to weigh a zone by the path loss from each gateway to the places a shopper in it may stand.
/// A zone's region is its outline when the layout gives one, else the cell of points nearer one of its
/// gateways than any other gateway, inside the gateways' bounding box widened by half the typical spacing
/// between neighbouring gateways (the zone of a gateway at the end of a row reaches as far beyond it as
/// towards its neighbour). Built only when every gateway of the store has a position; immutable.
/// </summary>
public sealed class ZoneRegions
{
    /// <summary>About this many sample points per zone: enough to span a zone from its near to its far edge.</summary>
    internal const int PointsPerZone = 16;

    private readonly FrozenDictionary<string, int> _gatewayIndex;
    private readonly FrozenDictionary<string, StorePoint[]> _points;
    private readonly StorePoint[] _gateways;

    private ZoneRegions(FrozenDictionary<string, int> gatewayIndex, StorePoint[] gateways, FrozenDictionary<string, StorePoint[]> points)
    {
        _gatewayIndex = gatewayIndex;
        _gateways = gateways;
        _points = points;
    }

    /// <summary>How many gateways have a position (all of the store's).</summary>
    public int GatewayCount => _gateways.Length;

    /// <summary>
    /// The regions of a store's zones, or null when the geometry cannot give them: a gateway without a
    /// position, or none at all (the model then keeps the lead rule).
    /// </summary>
    public static ZoneRegions? From(StoreGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Gateways.Count == 0 || geometry.Gateways.Any(g => g.Position is null))
        {
            return null;
        }

        var gateways = geometry.Gateways;
        var positions = gateways.Select(g => g.Position!.Value).ToArray();
        var index = gateways.Select((g, i) => (g.GatewayId, i)).DistinctBy(p => p.GatewayId, StringComparer.Ordinal)
            .ToFrozenDictionary(p => p.GatewayId, p => p.i, StringComparer.Ordinal);
        var zones = geometry.Zones.Select(z => z.ZoneId).Concat(gateways.Select(g => g.ZoneId)).Distinct(StringComparer.Ordinal).ToArray();
        var outlines = geometry.Zones.Where(z => z.Outline is { Count: >= 3 }).ToDictionary(z => z.ZoneId, z => z.Outline!, StringComparer.Ordinal);

        var points = new Dictionary<string, StorePoint[]>(StringComparer.Ordinal);
        foreach (var zone in zones.Where(outlines.ContainsKey))
        {
            points[zone] = Sample(outlines[zone], PointsPerZone);
        }

        // Zones without an outline: the cells of their gateways, on one grid over the widened bounding box.
        var cellZones = zones.Where(z => !points.ContainsKey(z) && gateways.Any(g => g.ZoneId == z)).ToHashSet(StringComparer.Ordinal);
        if (cellZones.Count > 0)
        {
            var margin = positions.Length < 2 ? 3.0 : Math.Max(0.5, Median(positions.Select((p, i) => positions.Where((_, j) => j != i).Min(q => Distance(p, q)))) / 2);
            double minX = positions.Min(p => p.X) - margin, maxX = positions.Max(p => p.X) + margin;
            double minY = positions.Min(p => p.Y) - margin, maxY = positions.Max(p => p.Y) + margin;
            var step = Math.Sqrt((maxX - minX) * (maxY - minY) / (PointsPerZone * Math.Max(1, cellZones.Count + outlines.Count)));
            var cells = cellZones.ToDictionary(z => z, _ => new List<StorePoint>(), StringComparer.Ordinal);
            for (var x = minX + (step / 2); x < maxX; x += step)
            {
                for (var y = minY + (step / 2); y < maxY; y += step)
                {
                    var point = new StorePoint(x, y);
                    var nearest = 0;
                    for (var g = 1; g < positions.Length; g++)
                    {
                        if (Distance(point, positions[g]) < Distance(point, positions[nearest]))
                        {
                            nearest = g;
                        }
                    }

                    if (cells.TryGetValue(gateways[nearest].ZoneId, out var cell))
                    {
                        cell.Add(point);
                    }
                }
            }

            foreach (var (zone, cell) in cells)
            {
                // A cell too small for the grid still holds its gateways' own spots.
                points[zone] = cell.Count > 0 ? [.. cell] : [.. gateways.Where(g => g.ZoneId == zone).Select(g => g.Position!.Value)];
            }
        }

        return new ZoneRegions(index, positions, points.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The gateway's index among the positioned gateways, or -1 for one the layout does not place.</summary>
    public int GatewayIndex(string gatewayId) => _gatewayIndex.TryGetValue(gatewayId, out var i) ? i : -1;

    /// <summary>The zone's sample points; empty for a zone the regions do not know.</summary>
    public IReadOnlyList<StorePoint> Points(string zoneId) => _points.TryGetValue(zoneId, out var p) ? p : [];

    /// <summary>
    /// The level each gateway is expected to read of a phone at each of each zone's points, relative to the
    /// phone's level at 1 m: <c>-10 n log10(d)</c>, d the distance in three dimensions with the gateways
    /// <paramref name="heightMetres"/> above the phone.
    /// </summary>
    public PathLossTable Table(double pathLossExponent, double heightMetres) =>
        new(pathLossExponent, heightMetres, _gateways.Length, _points.ToFrozenDictionary(
            p => p.Key,
            p => Expected(p.Value, pathLossExponent, heightMetres),
            StringComparer.Ordinal));

    private double[] Expected(StorePoint[] points, double n, double h)
    {
        var g = _gateways.Length;
        var levels = new double[points.Length * g];
        for (var p = 0; p < points.Length; p++)
        {
            for (var i = 0; i < g; i++)
            {
                var d2 = Square(points[p].X - _gateways[i].X) + Square(points[p].Y - _gateways[i].Y) + (h * h);
                levels[(p * g) + i] = -5 * n * Math.Log10(Math.Max(d2, 0.01));
            }
        }

        return levels;
    }

    /// <summary>About <paramref name="count"/> points on a grid inside the polygon (its vertices' mean when none falls inside).</summary>
    private static StorePoint[] Sample(IReadOnlyList<StorePoint> outline, int count)
    {
        double minX = outline.Min(p => p.X), maxX = outline.Max(p => p.X), minY = outline.Min(p => p.Y), maxY = outline.Max(p => p.Y);
        var area = Math.Abs(outline.Select((p, i) => (p.X * outline[(i + 1) % outline.Count].Y) - (outline[(i + 1) % outline.Count].X * p.Y)).Sum()) / 2;
        var step = Math.Sqrt(Math.Max(area, 1e-6) / count);
        var inside = new List<StorePoint>();
        for (var x = minX + (step / 2); x < maxX; x += step)
        {
            for (var y = minY + (step / 2); y < maxY; y += step)
            {
                if (Contains(outline, x, y))
                {
                    inside.Add(new StorePoint(x, y));
                }
            }
        }

        return inside.Count > 0 ? [.. inside] : [new StorePoint(outline.Average(p => p.X), outline.Average(p => p.Y))];
    }

    private static bool Contains(IReadOnlyList<StorePoint> polygon, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var (a, b) = (polygon[i], polygon[j]);
            if ((a.Y > y) != (b.Y > y) && x < ((b.X - a.X) * (y - a.Y) / (b.Y - a.Y)) + a.X)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Distance(StorePoint a, StorePoint b) => Math.Sqrt(Square(a.X - b.X) + Square(a.Y - b.Y));

    private static double Square(double v) => v * v;
}

/// <summary>
/// The expected levels of <see cref="ZoneRegions"/> for one path-loss exponent and gateway height: per zone,
/// point after point, each positioned gateway's level relative to the phone's level at 1 m.
/// </summary>
public sealed class PathLossTable(double pathLossExponent, double heightMetres, int gateways, FrozenDictionary<string, double[]> zones)
{
    public double PathLossExponent { get; } = pathLossExponent;

    public double HeightMetres { get; } = heightMetres;

    /// <summary>Gateways per point (the stride of a zone's levels).</summary>
    public int Gateways { get; } = gateways;

    /// <summary>The zone's levels, <c>[point * Gateways + gateway]</c>; null for a zone without a region.</summary>
    public double[]? Zone(string zoneId) => zones.TryGetValue(zoneId, out var levels) && levels.Length > 0 ? levels : null;
}
