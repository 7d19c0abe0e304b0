namespace BeaconEngine.Proximity.Calibration;

/// <summary>
/// One sighting of the installer's calibration device by a gateway (RSSI already corrected by the
/// gateway's configured offset), labelled with the zone the installer marked for that moment.
/// </summary>
public readonly record struct LabelledReading(string GatewayId, double Rssi, DateTimeOffset At, string ZoneId);
