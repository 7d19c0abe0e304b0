namespace BeaconEngine.Contracts.Calibration;

/// <summary>The installer says the device is in <paramref name="ZoneId"/> from <paramref name="At"/> until the next mark; null ends a labelled stretch.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationMark")]
public readonly record struct CalibrationMark(string? ZoneId, DateTimeOffset At);
