using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// One sighting decoded from a vendor gateway's payload, before any store, zone or shopper is looked up.
/// Vendors report different things, so everything a format may lack is nullable; the ingestion step decides
/// what it needs (an iBeacon identity) and falls back to its own values (receive time) where a field is missing.
/// </summary>
/// <param name="GatewayId">
/// How the gateway names itself: its MAC as <c>AA:BB:CC:DD:EE:FF</c> (Minew, Ingics), the room (ESPresense) or the
/// gateway name (OpenMQTTGateway). Null when the payload does not say; the caller then relies on its credentials.
/// </param>
/// <param name="BeaconMac">The advertiser's MAC as <c>AA:BB:CC:DD:EE:FF</c>; phones rotate it, so it is informative only.</param>
/// <param name="Timestamp">When the gateway heard the advertisement, when the format carries it (UTC).</param>
/// <param name="Rssi">Received signal strength in dBm, from -127 to 20.</param>
/// <param name="TxPower">The beacon's calibrated RSSI at 1 m in dBm (iBeacon measured power, ESPresense <c>rssi@1m</c>).</param>
/// <param name="Advertisement">The raw AD structures, for formats that relay them (Minew <c>rawData</c>, Ingics).</param>
/// <param name="IBeacon">
/// The iBeacon identity, whether the gateway reported it already decoded or it was read from <paramref name="Advertisement"/>.
/// </param>
/// <param name="DeviceId">The gateway's own name for the device when it is not a MAC, e.g. an ESPresense id.</param>
/// <param name="DistanceMetres">The gateway's distance estimate, when it makes one.</param>
public readonly record struct UplinkSighting(
    string? GatewayId,
    string? BeaconMac,
    DateTimeOffset? Timestamp,
    double Rssi,
    int? TxPower,
    ReadOnlyMemory<byte>? Advertisement,
    BeaconIdentity? IBeacon,
    string? DeviceId,
    double? DistanceMetres)
{
    /// <summary>Where in the payload the sighting came from: the array element or line (0 for an MQTT message).</summary>
    public int Index { get; init; }
}
