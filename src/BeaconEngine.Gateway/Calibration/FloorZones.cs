using System.Text.Json.Nodes;

namespace BeaconEngine.Gateway.Calibration;

/// <summary>
/// Which zone a point of the floor lies in, from the store's layout: the zone whose outline holds it, or else the
/// zone of the nearest gateway with a position (the ground truth of a zone-per-gateway layout).
/// </summary>
public sealed class FloorZones
{
    private readonly List<(string ZoneId, (double X, double Y)[] Corners)> _outlines = [];
    private readonly List<(string ZoneId, double X, double Y)> _gateways = [];

    /// <summary>From <c>GET /api/v1/stores/{storeId}</c>'s answer.</summary>
    public FloorZones(JsonObject store)
    {
        foreach (var zone in store["zones"]?.AsArray() ?? [])
        {
            if (zone?["shape"] is JsonObject shape && Corners(shape) is { Length: >= 3 } corners)
            {
                _outlines.Add((zone["id"]!.GetValue<string>(), corners));
            }
        }

        foreach (var gateway in store["gateways"]?.AsArray() ?? [])
        {
            if (gateway?["position"] is JsonObject p)
            {
                _gateways.Add((gateway["zoneId"]!.GetValue<string>(), p["x"]!.GetValue<double>(), p["y"]!.GetValue<double>()));
            }
        }

        ZoneIds = [.. (store["zones"]?.AsArray() ?? []).Select(z => z!["id"]!.GetValue<string>())];
    }

    public IReadOnlyList<string> ZoneIds { get; }

    /// <summary>True when the layout can place a point at all (outlines or gateway positions).</summary>
    public bool CanPlace => _outlines.Count > 0 || _gateways.Count > 0;

    public string? ZoneAt(double x, double y)
    {
        foreach (var (zoneId, corners) in _outlines)
        {
            if (Inside(corners, x, y))
            {
                return zoneId;
            }
        }

        return _gateways.Count == 0 ? null : _gateways.MinBy(g => ((g.X - x) * (g.X - x)) + ((g.Y - y) * (g.Y - y))).ZoneId;
    }

    private static (double X, double Y)[] Corners(JsonObject shape)
    {
        if (shape["type"]?.GetValue<string>() == "rect")
        {
            var (x, y) = (shape["x"]!.GetValue<double>(), shape["y"]!.GetValue<double>());
            var (w, h) = (shape["width"]!.GetValue<double>(), shape["height"]!.GetValue<double>());
            return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
        }

        return [.. (shape["points"]?.AsArray() ?? []).Select(p => (p!["x"]!.GetValue<double>(), p["y"]!.GetValue<double>()))];
    }

    private static bool Inside((double X, double Y)[] polygon, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            var (xi, yi) = polygon[i];
            var (xj, yj) = polygon[j];
            if ((yi > y) != (yj > y) && x < ((xj - xi) * (y - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
