namespace BeaconEngine.Proximity.Uplinks;

/// <summary>Bounds shared by every uplink decoder, so that vendor formats are held to the same limits as our native API.</summary>
public static class UplinkLimits
{
    /// <summary>Most items one payload may carry; the native sightings API allows the same. Larger batches must be split.</summary>
    public const int MaxItems = 5_000;

    /// <summary>Weakest RSSI (and calibrated power) accepted, in dBm.</summary>
    public const int MinDbm = -127;

    /// <summary>Strongest RSSI (and calibrated power) accepted, in dBm; more is a unit mistake, not a reading.</summary>
    public const int MaxDbm = 20;

    /// <summary>Longest gateway name or device id kept; longer text is not a name a gateway would send.</summary>
    public const int MaxNameLength = 256;
}
