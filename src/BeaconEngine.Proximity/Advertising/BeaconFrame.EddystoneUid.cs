using System.Globalization;

namespace BeaconEngine.Proximity.Advertising;

public abstract partial record BeaconFrame
{
    /// <summary>
    /// An Eddystone-UID frame (google/eddystone, eddystone-uid): a 10-byte namespace and a 6-byte instance.
    /// Held as integers rather than arrays so that the frame needs no allocation beyond itself and compares by value.
    /// </summary>
    /// <param name="TxPowerAt0m">Calibrated TX power at 0 m, in dBm (not 1 m as in iBeacon and AltBeacon).</param>
    /// <param name="Namespace">The 10-byte namespace, read big-endian (the top 48 bits are always zero).</param>
    /// <param name="Instance">The 6-byte instance, read big-endian (the top 16 bits are always zero).</param>
    public sealed record EddystoneUid(sbyte TxPowerAt0m, UInt128 Namespace, ulong Instance) : BeaconFrame
    {
        public override BeaconFrameKind Kind => BeaconFrameKind.EddystoneUid;

        /// <summary>The namespace as 20 lower-case hex digits, the form beacon dashboards and configs use.</summary>
        public string NamespaceHex => Namespace.ToString("x20", CultureInfo.InvariantCulture);

        /// <summary>The instance as 12 lower-case hex digits.</summary>
        public string InstanceHex => Instance.ToString("x12", CultureInfo.InvariantCulture);

        /// <summary>A stable text key, <c>namespace/instance</c> in hex, like <see cref="BeaconIdentity.Key"/>.</summary>
        public string Key => $"{NamespaceHex}/{InstanceHex}";
    }
}
