namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// One sighting of a shopper by a gateway, already mapped to the gateway's zone and corrected by the
/// gateway's RSSI offset. <paramref name="Timestamp"/> is event time: when the radio heard it.
/// </summary>
public readonly record struct GatewayReading(string GatewayId, string ZoneId, double Rssi, DateTimeOffset Timestamp);
