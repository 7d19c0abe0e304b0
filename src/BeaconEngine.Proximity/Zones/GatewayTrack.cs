namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// One gateway's recent readings of one shopper and the level the chosen filter makes of them.
/// Readings live in a fixed ring, so tracking allocates nothing after the first reading.
/// </summary>
internal sealed class GatewayTrack(string gatewayId, string zoneId)
{
    private const int Capacity = 64;

    private readonly long[] _ticks = new long[Capacity];
    private readonly double[] _rssi = new double[Capacity];
    private int _count;
    private int _next;
    private double _kalmanVariance;

    public string GatewayId { get; } = gatewayId;

    public string ZoneId { get; set; } = zoneId;

    /// <summary>The filtered level, dBm.</summary>
    public double Level { get; private set; }

    public DateTimeOffset LastHeard { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Adds a reading; false if it was discarded as a spike.</summary>
    public bool Add(double rssi, DateTimeOffset at, ZoneResolverOptions options)
    {
        if (_count >= options.WindowMinReadings && rssi > Median(at, options) + options.SpikeDb)
        {
            return false;
        }

        var first = _count == 0;
        var previous = LastHeard;
        _ticks[_next] = at.UtcTicks;
        _rssi[_next] = rssi;
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
        if (at > LastHeard)
        {
            LastHeard = at;
        }

        switch (options.Filter)
        {
            case RssiFilterKind.Exponential:
                Level = first ? rssi : (options.SmoothingAlpha * rssi) + ((1 - options.SmoothingAlpha) * Level);
                break;
            case RssiFilterKind.Kalman:
                if (first)
                {
                    Level = rssi;
                    _kalmanVariance = options.KalmanMeasurementNoise;
                }
                else
                {
                    var dt = Math.Max(0, (at - previous).TotalSeconds);
                    _kalmanVariance += options.KalmanProcessNoise * Math.Max(dt, 0.05);
                    var gain = _kalmanVariance / (_kalmanVariance + options.KalmanMeasurementNoise);
                    Level += gain * (rssi - Level);
                    _kalmanVariance *= 1 - gain;
                }

                break;
            default:
                Level = Median(LastHeard, options);
                break;
        }

        return true;
    }

    /// <summary>
    /// True when at least <see cref="ZoneResolverOptions.EnterSightings"/> readings at or above
    /// <see cref="ZoneResolverOptions.EnterRssiDbm"/> lie in the <see cref="ZoneResolverOptions.EnterWindow"/> ending at <paramref name="now"/>.
    /// </summary>
    public bool IsConfirmed(DateTimeOffset now, ZoneResolverOptions options)
    {
        var from = (now - options.EnterWindow).UtcTicks;
        var to = now.UtcTicks;
        var strong = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_ticks[i] >= from && _ticks[i] <= to && _rssi[i] >= options.EnterRssiDbm && ++strong >= options.EnterSightings)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The <see cref="ZoneResolverOptions.WindowPercentile"/> of the readings in the window ending at
    /// <paramref name="now"/> (nearest rank); the window stretches back
    /// (up to the staleness limit) until it holds <see cref="ZoneResolverOptions.WindowMinReadings"/> readings.
    /// </summary>
    private double Median(DateTimeOffset now, ZoneResolverOptions options)
    {
        Span<double> values = stackalloc double[Capacity];
        var n = Collect(values, now, options.Window);
        if (n < options.WindowMinReadings && options.GatewayStaleAfter > options.Window)
        {
            n = Collect(values, now, options.GatewayStaleAfter);
        }

        if (n == 0)
        {
            return Level;
        }

        var window = values[..n];
        window.Sort();
        return window[(int)Math.Round(options.WindowPercentile * (n - 1), MidpointRounding.AwayFromZero)];
    }

    private int Collect(Span<double> values, DateTimeOffset now, TimeSpan window)
    {
        var from = (now - window).UtcTicks;
        var to = now.UtcTicks;
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_ticks[i] > from && _ticks[i] <= to)
            {
                values[n++] = _rssi[i];
            }
        }

        return n;
    }
}
