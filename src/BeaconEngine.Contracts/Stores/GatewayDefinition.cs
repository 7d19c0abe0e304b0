namespace BeaconEngine.Contracts.Stores;

/// <summary>A BLE gateway installed in a zone; <paramref name="RssiOffset"/> (dB) is added to every RSSI it reports.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.GatewayDefinition")]
public sealed record GatewayDefinition(string GatewayId, string ZoneId, double RssiOffset);
