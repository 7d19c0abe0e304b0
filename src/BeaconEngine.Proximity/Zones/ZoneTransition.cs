namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// The resolver moved the shopper from one zone to another at <paramref name="At"/> (event time).
/// A null zone means "in no zone". <paramref name="Confidence"/> is between 0 and 1.
/// </summary>
public readonly record struct ZoneTransition(string? FromZoneId, string? ToZoneId, DateTimeOffset At, double Confidence);
