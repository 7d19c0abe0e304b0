namespace BeaconEngine.Contracts.Stores;

/// <summary>An area of the store (an aisle, a checkout, an entrance) and the zones one can walk to from it.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneDefinition")]
public sealed record ZoneDefinition(string Id, string Name, string? Kind, string? Category, string[] Neighbors);
