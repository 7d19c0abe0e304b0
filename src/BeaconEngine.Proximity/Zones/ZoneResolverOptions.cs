namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// Parameters of the <see cref="ZoneResolver"/>. Every default is chosen for a reason given beside it,
/// from BLE physics and shopper behaviour, not fitted to one recording; every one can be set per store.
/// </summary>
public sealed record ZoneResolverOptions
{
    /// <summary>A sighting at least this strong counts towards placing a shopper (the contract's -70 dBm).</summary>
    public double EnterRssiDbm { get; init; } = -70;

    /// <summary>How many strong sightings within <see cref="EnterWindow"/> confirm a zone (the contract's 3).</summary>
    public int EnterSightings { get; init; } = 3;

    /// <summary>The window for <see cref="EnterSightings"/> (the contract's 3 seconds).</summary>
    public TimeSpan EnterWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How each gateway's readings are smoothed; see <see cref="RssiFilterKind"/> for why the median is the default.</summary>
    public RssiFilterKind Filter { get; init; } = RssiFilterKind.WindowMedian;

    /// <summary>
    /// Length of the window. Three seconds is the contract's own confirmation window: it holds about 15
    /// advertisements of a phone at 5 Hz (enough to outvote fading dips) and 3 of a phone at 1 Hz, and a
    /// walking shopper (about 1 m/s) covers about one aisle's width in it.
    /// </summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Which percentile of the window's readings is the level (nearest rank). Fading makes readings
    /// dip far more than rise, so the level the shopper's position implies sits above the middle of
    /// the window; 0.5 is the plain median.
    /// </summary>
    public double WindowPercentile { get; init; } = 0.7;

    /// <summary>
    /// The window stretches to hold at least this many readings (at most to <see cref="GatewayStaleAfter"/>),
    /// so a phone that advertises once a second is not judged on a single reading.
    /// </summary>
    public int WindowMinReadings { get; init; } = 3;

    /// <summary>
    /// A reading this far above the window's median is discarded as a spike: multipath fading makes
    /// readings drop far more often than rise, so a sudden rise of 20 dB is almost never the shopper moving.
    /// </summary>
    public double SpikeDb { get; init; } = 20;

    /// <summary>Weight of a new reading for <see cref="RssiFilterKind.Exponential"/>.</summary>
    public double SmoothingAlpha { get; init; } = 0.3;

    /// <summary>Process noise (dB² per second) of <see cref="RssiFilterKind.Kalman"/>: a walking shopper changes level by about 1 dB a second.</summary>
    public double KalmanProcessNoise { get; init; } = 1;

    /// <summary>Measurement noise (dB²) of <see cref="RssiFilterKind.Kalman"/>: BLE jitter of 4 dB standard deviation.</summary>
    public double KalmanMeasurementNoise { get; init; } = 16;

    /// <summary>A gateway not heard for this long no longer competes for the shopper.</summary>
    public TimeSpan GatewayStaleAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Another zone must be this many dB stronger than the current one to take the shopper over. RSSI
    /// jitters by 4-6 dB; a margin in the middle of that range means noise alone rarely flips a zone,
    /// while a real move (typically 10 dB or more between aisles) still gets through.
    /// </summary>
    public double SwitchMarginDb { get; init; } = 5;

    /// <summary>
    /// After entering a zone the shopper stays at least this long before another zone may take over:
    /// crossing an aisle end takes a walking shopper about 2 s, so switching back sooner is noise.
    /// </summary>
    public TimeSpan MinDwell { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A zone that is not a neighbour of the current one (per the layout) must keep its lead this long
    /// before the shopper is moved there: people do not jump across a store, but signal leaking
    /// through shelving does. One gateway batch interval: long enough to outlast a burst of leaked
    /// readings, short enough to recover quickly from a wrong placement.
    /// </summary>
    public TimeSpan NonAdjacentConfirm { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>With no gateway of the current zone heard for this long, the shopper has left it.</summary>
    public TimeSpan ExitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When every fresh gateway is weaker than this, the shopper is out of range of the store's zones
    /// (about 20-30 m from a gateway at typical phone power): they exit at once rather than linger as a ghost.
    /// </summary>
    public double ExitRssiDbm { get; init; } = -90;

    /// <summary>A <see cref="ProximityEventKind.Dwell"/> event is emitted each time dwell crosses a multiple of this.</summary>
    public TimeSpan DwellTick { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws if a value is out of range, naming the parameter and the allowed range.</summary>
    public void Validate()
    {
        Check(EnterRssiDbm is >= -127 and <= 20, nameof(EnterRssiDbm), "between -127 and 20 dBm");
        Check(ExitRssiDbm is >= -127 and <= 20, nameof(ExitRssiDbm), "between -127 and 20 dBm");
        Check(EnterSightings is >= 1 and <= 50, nameof(EnterSightings), "from 1 to 50");
        Check(WindowMinReadings is >= 1 and <= 50, nameof(WindowMinReadings), "from 1 to 50");
        Check(SmoothingAlpha is > 0 and <= 1, nameof(SmoothingAlpha), "in (0, 1]");
        Check(WindowPercentile is >= 0 and <= 1, nameof(WindowPercentile), "from 0 to 1");
        Check(KalmanProcessNoise > 0 && KalmanMeasurementNoise > 0, nameof(KalmanProcessNoise), "positive (and so must KalmanMeasurementNoise be)");
        Check(SwitchMarginDb is >= 0 and <= 40, nameof(SwitchMarginDb), "from 0 to 40 dB");
        Check(SpikeDb is > 0 and <= 100, nameof(SpikeDb), "above 0 and at most 100 dB");
        Check(Positive(EnterWindow) && Positive(Window) && Positive(GatewayStaleAfter) && Positive(ExitTimeout) && Positive(DwellTick),
            nameof(Window), "positive (so must EnterWindow, GatewayStaleAfter, ExitTimeout and DwellTick be)");
        Check(MinDwell >= TimeSpan.Zero && NonAdjacentConfirm >= TimeSpan.Zero, nameof(MinDwell), "zero or positive (so must NonAdjacentConfirm be)");
    }

    private static bool Positive(TimeSpan t) => t > TimeSpan.Zero && t <= TimeSpan.FromHours(1);

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be {rule}.");
        }
    }
}
