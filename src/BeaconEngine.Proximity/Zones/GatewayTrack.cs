namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// One gateway's recent readings of one shopper and the level the chosen filter makes of them.
/// Readings live in a ring that starts small and doubles, up to <see cref="Capacity"/>, only while its
/// oldest reading may still fall in a window: a shopper heard at 1 Hz costs about 300 bytes a gateway,
/// and tracking allocates nothing once the ring has grown to the rate the gateway hears them at.
/// </summary>
internal sealed class GatewayTrack(string gatewayId, string zoneId)
{
    private const int Capacity = 64;
    private const int InitialCapacity = 4;

    private long[] _ticks = new long[InitialCapacity];
    private double[] _rssi = new double[InitialCapacity];
    private double[] _levels = new double[InitialCapacity];
    private int _count;
    private int _next;
    private double _kalmanVariance;

    public string GatewayId { get; } = gatewayId;

    public string ZoneId { get; set; } = zoneId;

    /// <summary>A store beacon the shopper's phone reports hearing (a pseudo-track), not a gateway hearing the phone.</summary>
    public bool FromPhone { get; init; }

    /// <summary>The gateway's index in the store's <see cref="ZoneRegions"/>; -1 when the layout does not place it.</summary>
    public int GeometryIndex { get; init; } = -1;

    /// <summary>The store calibration's correction for this gateway, dB, added to its level.</summary>
    public double Correction { get; set; }

    /// <summary>The filtered level with the calibration's correction, dBm.</summary>
    public double CorrectedLevel => Level + Correction;

    /// <summary>
    /// Where the smoothed level starts, dBm, for a gateway that begins hearing a shopper others already
    /// hear: as if it had reported "not heard" until now, so a burst leaked through shelving from a far
    /// aisle rises slowly instead of leading at once; null starts at the first reading.
    /// </summary>
    public double? JoinLevel { get; init; }

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
        if (_count == _ticks.Length && _count < Capacity && _ticks[_next] > LastHeard.UtcTicks - (2 * Horizon(options).Ticks))
        {
            // The oldest reading may still be in a window: keep it. Readings older than twice the longest
            // window are overwritten instead, so a ring grows to the rate it is heard at, not the stay.
            Grow();
        }

        var slot = _next;
        _ticks[slot] = at.UtcTicks;
        _rssi[slot] = rssi;
        _next = (_next + 1) % _ticks.Length;
        _count = Math.Min(_count + 1, _ticks.Length);
        if (at > LastHeard)
        {
            LastHeard = at;
        }

        switch (options.Filter)
        {
            case RssiFilterKind.Exponential:
                Level = first ? rssi : (options.SmoothingAlpha * rssi) + ((1 - options.SmoothingAlpha) * Level);
                break;
            case RssiFilterKind.Smoothed:
                // Weighted by the time since the last reading, so a phone at 1 Hz and one at 10 Hz are
                // smoothed over the same seconds; a gap longer than staleness starts afresh.
                if (first && JoinLevel is { } join)
                {
                    // The first reading counts as one second of evidence, as at the contract's 1 Hz.
                    Level = join + ((1 - Math.Exp(-1 / options.SmoothingSeconds)) * (rssi - join));
                }
                else if (first || at - previous > options.GatewayStaleAfter)
                {
                    Level = rssi;
                }
                else if (at > previous)
                {
                    Level += (1 - Math.Exp(-(at - previous).TotalSeconds / options.SmoothingSeconds)) * (rssi - Level);
                }

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

        _levels[slot] = Level;
        return true;
    }

    /// <summary>
    /// The filtered level as it stood at <paramref name="at"/> (after the last reading at or before it) and
    /// when that reading was heard; false when the gateway had not heard the shopper by then (or that
    /// moment is older than the readings kept).
    /// </summary>
    public bool TryLevelAt(DateTimeOffset at, out double level, out DateTimeOffset heardAt)
    {
        var limit = at.UtcTicks;
        if (_count > 0 && limit >= LastHeard.UtcTicks)
        {
            // At or after the newest reading (the usual case): the level as it stands.
            level = CorrectedLevel;
            heardAt = LastHeard;
            return true;
        }

        var found = -1;
        for (var i = 0; i < _count; i++)
        {
            if (_ticks[i] <= limit && (found < 0 || _ticks[i] > _ticks[found]))
            {
                found = i;
            }
        }

        if (found < 0)
        {
            level = 0;
            heardAt = default;
            return false;
        }

        level = _levels[found] + Correction;
        heardAt = new DateTimeOffset(_ticks[found], TimeSpan.Zero);
        return true;
    }

    /// <summary>The longest window any reading is looked at in.</summary>
    private static TimeSpan Horizon(ZoneResolverOptions options) =>
        TimeSpan.FromTicks(Math.Max(options.GatewayStaleAfter.Ticks, Math.Max(options.Window.Ticks, options.EnterWindow.Ticks)));

    /// <summary>Doubles the ring, oldest reading first, so the next write lands after the newest.</summary>
    private void Grow()
    {
        var ticks = new long[_ticks.Length * 2];
        var rssi = new double[_ticks.Length * 2];
        var older = _ticks.Length - _next;
        Array.Copy(_ticks, _next, ticks, 0, older);
        Array.Copy(_ticks, 0, ticks, older, _next);
        Array.Copy(_rssi, _next, rssi, 0, older);
        Array.Copy(_rssi, 0, rssi, older, _next);
        var levels = new double[_ticks.Length * 2];
        Array.Copy(_levels, _next, levels, 0, older);
        Array.Copy(_levels, 0, levels, older, _next);
        _next = _ticks.Length;
        _ticks = ticks;
        _rssi = rssi;
        _levels = levels;
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
