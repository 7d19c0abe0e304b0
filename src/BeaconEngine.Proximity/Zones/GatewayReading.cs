namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// One sighting of a shopper by a gateway, already mapped to the gateway's zone and corrected by the
/// gateway's RSSI offset. <paramref name="Timestamp"/> is event time: when the radio heard it.
/// <paramref name="FromPhone"/> marks the other direction: the shopper's phone heard a store beacon
/// (<paramref name="GatewayId"/> names the beacon's pseudo-track), so it is evidence the phone reported,
/// which the store's own radios did not confirm.
/// </summary>
public readonly record struct GatewayReading(string GatewayId, string ZoneId, double Rssi, DateTimeOffset Timestamp, bool FromPhone = false);
