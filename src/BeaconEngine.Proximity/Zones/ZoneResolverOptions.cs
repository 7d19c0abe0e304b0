namespace BeaconEngine.Proximity.Zones;

/// <summary>Parameters of <see cref="StrongestGatewayResolver"/>; each default is chosen for a reason given beside it.</summary>
public sealed record ZoneResolverOptions
{
    /// <summary>A sighting at least this strong counts towards entering a zone (the contract's -70 dBm).</summary>
    public double EnterRssiDbm { get; init; } = -70;

    /// <summary>How many strong sightings within <see cref="EnterWindow"/> place a shopper (the contract's 3).</summary>
    public int EnterSightings { get; init; } = 3;

    /// <summary>The window for <see cref="EnterSightings"/> (the contract's 3 seconds).</summary>
    public TimeSpan EnterWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Weight of a new sighting in the exponential average. 0.3 keeps roughly the last 3 sightings
    /// (about a second at typical advertising rates), which halves 4-6 dB jitter without lagging a walk.
    /// </summary>
    public double SmoothingAlpha { get; init; } = 0.3;

    /// <summary>A gateway not heard for this long no longer competes for the shopper.</summary>
    public TimeSpan GatewayStaleAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Another zone must be this many dB stronger than the current one to take the shopper over:
    /// about one standard deviation of BLE jitter, so noise alone rarely flips a zone.
    /// </summary>
    public double SwitchMarginDb { get; init; } = 4;

    /// <summary>With no gateway of the current zone heard for this long, the shopper has left it.</summary>
    public TimeSpan ExitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws if a value is out of range, naming the parameter and the allowed range.</summary>
    public void Validate()
    {
        if (EnterRssiDbm is < -127 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(EnterRssiDbm), EnterRssiDbm, "must be between -127 and 20 dBm");
        }

        if (EnterSightings < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EnterSightings), EnterSightings, "must be at least 1");
        }

        if (SmoothingAlpha is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SmoothingAlpha), SmoothingAlpha, "must be in (0, 1]");
        }

        if (EnterWindow <= TimeSpan.Zero || GatewayStaleAfter <= TimeSpan.Zero || ExitTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(EnterWindow), "windows and timeouts must be positive");
        }
    }
}
