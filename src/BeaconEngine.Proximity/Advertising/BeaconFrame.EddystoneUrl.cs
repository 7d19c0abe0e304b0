namespace BeaconEngine.Proximity.Advertising;

public abstract partial record BeaconFrame
{
    /// <summary>
    /// An Eddystone-URL frame (google/eddystone, eddystone-url) with the scheme prefix and the expansion codes
    /// already expanded, since no consumer wants the compressed form.
    /// </summary>
    /// <param name="TxPowerAt0m">Calibrated TX power at 0 m, in dBm.</param>
    /// <param name="Url">The decoded URL, e.g. <c>https://www.bluecharmbeacons.com/</c>.</param>
    public sealed record EddystoneUrl(sbyte TxPowerAt0m, string Url) : BeaconFrame
    {
        public override BeaconFrameKind Kind => BeaconFrameKind.EddystoneUrl;
    }
}
