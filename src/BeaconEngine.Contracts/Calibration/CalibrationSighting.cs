namespace BeaconEngine.Contracts.Calibration;

/// <summary>One sighting of a calibration device by a gateway, RSSI already corrected by the gateway's offset.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationSighting")]
public readonly record struct CalibrationSighting(string GatewayId, double Rssi, DateTimeOffset At);
