namespace BeaconEngine.Proximity.Advertising;

public abstract partial record BeaconFrame
{
    /// <summary>
    /// An Apple iBeacon frame (manufacturer specific data, company 0x004C, type 0x02, length 0x15). Wraps the
    /// existing <see cref="IBeaconFrame"/> value so both entry points hand out the same data.
    /// </summary>
    public sealed record IBeacon(IBeaconFrame Frame) : BeaconFrame
    {
        public override BeaconFrameKind Kind => BeaconFrameKind.IBeacon;

        /// <summary>Proximity UUID, major and minor.</summary>
        public BeaconIdentity Identity => Frame.Identity;

        /// <summary>Calibrated RSSI at 1 m, in dBm.</summary>
        public sbyte MeasuredPower => Frame.MeasuredPower;
    }
}
