namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// Which <see cref="BeaconFrame"/> case a frame is, for callers that count or log by kind (metrics, filters)
/// without a type test.
/// </summary>
public enum BeaconFrameKind
{
    IBeacon,
    AltBeacon,
    EddystoneUid,
    EddystoneUrl,
    EddystoneTlm,
    EddystoneEncryptedTlm,
    EddystoneEid,
}
