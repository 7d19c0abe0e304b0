namespace BeaconEngine.Contracts.Shoppers;

/// <summary>A gateway heard the shopper. <paramref name="Rssi"/> already includes the gateway's offset; <paramref name="Timestamp"/> is event time.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.Sighting")]
public readonly record struct Sighting(string GatewayId, string ZoneId, double Rssi, DateTimeOffset Timestamp);
