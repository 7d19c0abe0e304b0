namespace BeaconEngine.Contracts.Shoppers;

/// <summary>
/// A gateway heard the shopper. <paramref name="Rssi"/> already includes the gateway's offset; <paramref name="Timestamp"/> is event time.
/// <paramref name="FromPhone"/>: the other direction, the shopper's phone heard a store beacon (<paramref name="GatewayId"/>
/// is then the beacon's pseudo-track and <paramref name="Rssi"/> is normalised by the beacon's transmit power).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.Sighting")]
public readonly record struct Sighting(string GatewayId, string ZoneId, double Rssi, DateTimeOffset Timestamp, bool FromPhone = false);
