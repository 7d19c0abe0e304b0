using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Tests;

/// <summary>The zone model tests' floor: three aisles in a row, 6 m apart, a gateway in the middle of each.</summary>
internal static class ThreeAisles
{
    public static readonly StoreGeometry Row = new(
        [new ZoneShape("aisle-1", ["aisle-2"]), new ZoneShape("aisle-2", ["aisle-1", "aisle-3"]), new ZoneShape("aisle-3", ["aisle-2"])],
        [
            new GatewayPlacement("gw-1", "aisle-1", new StorePoint(3, 6)),
            new GatewayPlacement("gw-2", "aisle-2", new StorePoint(9, 6)),
            new GatewayPlacement("gw-3", "aisle-3", new StorePoint(15, 6)),
        ]);

    public static ZoneGraph Graph => new(Row.Zones.Select(z => (z.ZoneId, (IEnumerable<string>)z.Neighbors)));
}
