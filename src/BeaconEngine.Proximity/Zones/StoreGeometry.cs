namespace BeaconEngine.Proximity.Zones;

/// <summary>A point in a store's own frame, in metres.</summary>
public readonly record struct StorePoint(double X, double Y);

/// <summary>A zone as the zone model sees it: its neighbours and, when the layout gives it, its outline.</summary>
public sealed record ZoneShape(string ZoneId, IReadOnlyList<string> Neighbors, IReadOnlyList<StorePoint>? Outline = null);

/// <summary>A gateway as the zone model sees it: its zone and, when the layout gives it, where it hangs.</summary>
public sealed record GatewayPlacement(string GatewayId, string ZoneId, StorePoint? Position = null);

/// <summary>What the zone model knows of a store's floor: zones, adjacency, gateways and any positions.</summary>
public sealed record StoreGeometry(IReadOnlyList<ZoneShape> Zones, IReadOnlyList<GatewayPlacement> Gateways)
{
    public static StoreGeometry Empty { get; } = new([], []);
}
