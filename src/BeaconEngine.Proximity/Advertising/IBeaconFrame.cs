namespace BeaconEngine.Proximity.Advertising;

/// <summary>An Apple iBeacon advertisement: identity plus the calibrated power at 1 m.</summary>
public readonly record struct IBeaconFrame(BeaconIdentity Identity, sbyte MeasuredPower);
