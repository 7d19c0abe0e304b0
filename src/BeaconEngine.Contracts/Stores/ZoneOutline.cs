namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// Where a zone lies on the floor, in metres in the store's frame: a <c>"polygon"</c> of its corners, or a
/// <c>"rect"</c> kept as two opposite corners (lowest x and y first).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneOutline")]
public sealed record ZoneOutline(string Kind, StorePosition[] Points)
{
    public const string Polygon = "polygon";
    public const string Rect = "rect";

    /// <summary>The outline's corners in order; a rectangle's four.</summary>
    public IEnumerable<StorePosition> Corners() => Kind == Rect && Points.Length == 2
        ? [Points[0], new StorePosition(Points[1].X, Points[0].Y), Points[1], new StorePosition(Points[0].X, Points[1].Y)]
        : Points;
}
