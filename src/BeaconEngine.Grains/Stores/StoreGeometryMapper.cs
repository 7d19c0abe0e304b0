using BeaconEngine.Contracts.Stores;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Stores;

/// <summary>A store's floor as the zone model sees it: zones, adjacency, outlines and gateway positions, from its snapshot.</summary>
public static class StoreGeometryMapper
{
    public static StoreGeometry From(StoreSnapshot snapshot) => new(
        [.. snapshot.Layout.Zones.Select(z => new ZoneShape(
            z.Id,
            z.Neighbors,
            z.Shape is { } shape ? [.. shape.Corners().Select(Point)] : null))],
        [.. snapshot.Gateways.Select(g => new GatewayPlacement(g.GatewayId, g.ZoneId, g.Position is { } p ? Point(p) : null))]);

    private static StorePoint Point(StorePosition p) => new(p.X, p.Y);
}
