using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Server.Api;

/// <summary>Reads and writes positions and zone outlines, so the model can use geometry and the console can draw the floor to scale.</summary>
public static class FloorGeometry
{
    /// <summary>The largest coordinate or size accepted, in metres: bigger than any store, small enough to catch a unit mistake.</summary>
    public const double MaxMetres = 10_000;

    public const int MaxPolygonPoints = 200;

    public static StorePosition? Position(PositionDto? position, string field)
    {
        if (position is null)
        {
            return null;
        }

        return new StorePosition(Metres(position.X, $"{field}.x"), Metres(position.Y, $"{field}.y"));
    }

    public static ZoneOutline? Shape(ZoneShapeDto? shape, string field)
    {
        if (shape is null)
        {
            return null;
        }

        switch (shape.Type?.Trim().ToLowerInvariant())
        {
            case ZoneOutline.Polygon:
                if (shape.Points is not { Count: >= 3 and <= MaxPolygonPoints } points)
                {
                    throw Problems.BadRequest($"'{field}.points' must list 3 to {MaxPolygonPoints} corners {{ \"x\", \"y\" }} in metres.");
                }

                return new ZoneOutline(ZoneOutline.Polygon, [.. points.Select((p, i) => Position(p, $"{field}.points[{i}]")
                    ?? throw Problems.BadRequest($"'{field}.points[{i}]' must be an object {{ \"x\", \"y\" }} in metres."))]);
            case ZoneOutline.Rect:
                var x = Metres(shape.X, $"{field}.x");
                var y = Metres(shape.Y, $"{field}.y");
                var width = Metres(shape.Width, $"{field}.width");
                var height = Metres(shape.Height, $"{field}.height");
                if (width <= 0 || height <= 0)
                {
                    throw Problems.BadRequest($"'{field}.width' and '{field}.height' must be above 0 metres.");
                }

                return new ZoneOutline(ZoneOutline.Rect, [new StorePosition(x, y), new StorePosition(x + width, y + height)]);
            default:
                throw Problems.BadRequest($"'{field}.type' must be \"polygon\" (with 'points') or \"rect\" (with 'x', 'y', 'width', 'height').");
        }
    }

    public static PositionDto? ToDto(StorePosition? position) => position is { } p ? new PositionDto(p.X, p.Y) : null;

    public static ZoneShapeDto? ToDto(ZoneOutline? shape) => shape switch
    {
        null => null,
        { Kind: ZoneOutline.Rect, Points: [var low, var high] } => new ZoneShapeDto(ZoneOutline.Rect, null, low.X, low.Y, high.X - low.X, high.Y - low.Y),
        _ => new ZoneShapeDto(ZoneOutline.Polygon, [.. shape.Points.Select(p => (PositionDto?)new PositionDto(p.X, p.Y))]),
    };

    private static double Metres(double? value, string field) => value switch
    {
        null => throw Problems.BadRequest($"'{field}' is required (metres)."),
        double v when double.IsFinite(v) && Math.Abs(v) <= MaxMetres => v,
        _ => throw Problems.BadRequest($"'{field}' must be a number of metres from -{MaxMetres} to {MaxMetres}."),
    };
}
