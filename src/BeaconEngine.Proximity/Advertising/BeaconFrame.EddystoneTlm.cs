namespace BeaconEngine.Proximity.Advertising;

public abstract partial record BeaconFrame
{
    /// <summary>
    /// An unencrypted Eddystone-TLM frame (google/eddystone, eddystone-tlm/tlm-plain.md, version 0x00): the
    /// beacon's own health, used for fleet monitoring. It carries no identity; pair it with a UID or URL frame
    /// from the same device address.
    /// </summary>
    /// <param name="BatteryMillivolts">Battery voltage; null when the beacon sends 0, which the spec reserves for "not supported" (e.g. mains powered).</param>
    /// <param name="TemperatureCelsius">Temperature from the signed 8.8 fixed-point field; null when the beacon sends 0x8000, "not supported".</param>
    /// <param name="AdvertisementCount">Advertising PDUs sent since power-on or reboot.</param>
    /// <param name="Uptime">Time since power-on or reboot (sent in 0.1 s units).</param>
    public sealed record EddystoneTlm(ushort? BatteryMillivolts, double? TemperatureCelsius, uint AdvertisementCount, TimeSpan Uptime)
        : BeaconFrame
    {
        public override BeaconFrameKind Kind => BeaconFrameKind.EddystoneTlm;
    }
}
