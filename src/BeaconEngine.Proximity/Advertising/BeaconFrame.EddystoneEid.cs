using System.Globalization;

namespace BeaconEngine.Proximity.Advertising;

public abstract partial record BeaconFrame
{
    /// <summary>
    /// An Eddystone-EID frame (google/eddystone, eddystone-eid): an 8-byte ephemeral id that rotates and can only
    /// be resolved to a beacon by the service it was registered with.
    /// </summary>
    /// <param name="TxPowerAt0m">Calibrated TX power at 0 m, in dBm.</param>
    /// <param name="EphemeralId">The 8-byte ephemeral id, read big-endian.</param>
    public sealed record EddystoneEid(sbyte TxPowerAt0m, ulong EphemeralId) : BeaconFrame
    {
        public override BeaconFrameKind Kind => BeaconFrameKind.EddystoneEid;

        /// <summary>The ephemeral id as 16 lower-case hex digits, the form resolvers take.</summary>
        public string EphemeralIdHex => EphemeralId.ToString("x16", CultureInfo.InvariantCulture);
    }
}
