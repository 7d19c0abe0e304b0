namespace BeaconEngine.Contracts.Stores;

/// <summary>A store's name, time zone, zones, zone resolver overrides and contact limits, as the operator sets them.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreLayout")]
public sealed record StoreLayout(string Name, string TimeZone, ZoneDefinition[] Zones, ProximitySettings? Proximity = null, ContactSettings? Contact = null);
