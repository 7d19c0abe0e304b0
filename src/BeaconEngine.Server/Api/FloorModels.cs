namespace BeaconEngine.Server.Api;

/// <summary>A point on the store's floor, in metres in the store's own frame (the operator picks the origin).</summary>
public sealed record PositionDto(double? X, double? Y);

/// <summary>
/// A zone's outline: <c>{ "type": "polygon", "points": [ { "x", "y" }, ... ] }</c> (3 to 200 corners) or
/// <c>{ "type": "rect", "x", "y", "width", "height" }</c> (the corner with the lowest x and y, and the size), in metres.
/// </summary>
public sealed record ZoneShapeDto(string? Type, List<PositionDto?>? Points, double? X = null, double? Y = null, double? Width = null, double? Height = null);
