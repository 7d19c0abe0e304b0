namespace BeaconEngine.Proximity.Advertising;

public abstract partial record BeaconFrame
{
    /// <summary>
    /// An AltBeacon frame (AltBeacon/spec v1.0): manufacturer specific data with any company id, beacon code
    /// 0xBEAC, a 20-byte beacon id, the reference RSSI and one manufacturer-reserved byte.
    /// </summary>
    /// <param name="CompanyId">Bluetooth SIG company identifier of the beacon's maker (sent little-endian).</param>
    /// <param name="Identity">
    /// The 20-byte beacon id split the way deployments and android-beacon-library split it: id1 = bytes 0-15 as a
    /// big-endian UUID, id2 = bytes 16-17, id3 = bytes 18-19. The split is lossless, and it is the same shape as an
    /// iBeacon identity, so zone resolution can key on either format alike.
    /// </param>
    /// <param name="ReferenceRssi">Average RSSI at 1 m, in dBm.</param>
    /// <param name="ManufacturerReserved">Meaning defined by <paramref name="CompanyId"/>; passed through untouched.</param>
    public sealed record AltBeacon(ushort CompanyId, BeaconIdentity Identity, sbyte ReferenceRssi, byte ManufacturerReserved)
        : BeaconFrame
    {
        public override BeaconFrameKind Kind => BeaconFrameKind.AltBeacon;
    }
}
