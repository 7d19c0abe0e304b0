namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// An area of the store (an aisle, a checkout, an entrance) and the zones one can walk to from it.
/// <paramref name="Shape"/> is its outline on the floor, when the operator gave it (appended: stored layouts load without it).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneDefinition")]
public sealed record ZoneDefinition(string Id, string Name, string? Kind, string? Category, string[] Neighbors, ZoneOutline? Shape = null);
