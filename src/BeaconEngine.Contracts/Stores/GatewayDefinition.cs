namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// A BLE gateway installed in a zone; <paramref name="RssiOffset"/> (dB) is added to every RSSI it reports.
/// <paramref name="Position"/> is where it hangs, when the operator gave it (appended: stored gateways load without it).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.GatewayDefinition")]
public sealed record GatewayDefinition(string GatewayId, string ZoneId, double RssiOffset, StorePosition? Position = null);
