namespace BeaconEngine.Proximity.Advertising;

/// <summary>Outcome of <see cref="AdvertisementParser.TryReadIBeacon"/>.</summary>
public enum AdvertisementResult
{
    Ok,
    NotIBeacon,
    Malformed,
}
