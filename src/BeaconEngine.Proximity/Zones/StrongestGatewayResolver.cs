namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// First zone resolver: each gateway's RSSI is smoothed exponentially; the shopper belongs to the zone
/// of the strongest fresh gateway once that gateway has confirmed it with enough strong sightings,
/// and changes zone only when another zone is clearly stronger. All on event time.
/// </summary>
public sealed class StrongestGatewayResolver(ZoneResolverOptions options) : IZoneResolver
{
    private readonly Dictionary<string, GatewayTrack> _gateways = new(StringComparer.Ordinal);

    public string? CurrentZoneId { get; private set; }

    public DateTimeOffset? EnteredAt { get; private set; }

    public DateTimeOffset? LastEventTime { get; private set; }

    public void Observe(in GatewayReading reading, List<ZoneTransition> transitions)
    {
        if (!_gateways.TryGetValue(reading.GatewayId, out var track))
        {
            track = new GatewayTrack(reading.ZoneId, options.EnterSightings);
            _gateways.Add(reading.GatewayId, track);
        }

        track.ZoneId = reading.ZoneId;
        track.Add(reading.Rssi, reading.Timestamp, options);
        var now = LastEventTime is { } last && last > reading.Timestamp ? last : reading.Timestamp;
        LastEventTime = now;
        Decide(now, transitions);
    }

    public void Advance(DateTimeOffset eventTime, List<ZoneTransition> transitions)
    {
        if (LastEventTime is { } last && eventTime <= last)
        {
            return;
        }

        LastEventTime = eventTime;
        Decide(eventTime, transitions);
    }

    private void Decide(DateTimeOffset now, List<ZoneTransition> transitions)
    {
        GatewayTrack? best = null;
        var currentZoneRssi = double.NegativeInfinity;
        var currentZoneLastHeard = DateTimeOffset.MinValue;
        foreach (var track in _gateways.Values)
        {
            if (track.ZoneId == CurrentZoneId && track.LastHeard > currentZoneLastHeard)
            {
                currentZoneLastHeard = track.LastHeard;
            }

            if (now - track.LastHeard > options.GatewayStaleAfter)
            {
                continue;
            }

            if (track.ZoneId == CurrentZoneId)
            {
                currentZoneRssi = Math.Max(currentZoneRssi, track.Smoothed);
            }

            if (best is null || track.Smoothed > best.Smoothed)
            {
                best = track;
            }
        }

        var confirmed = best is not null && best.IsConfirmed(now, options);
        if (CurrentZoneId is null)
        {
            if (confirmed)
            {
                MoveTo(best!.ZoneId, now, Confidence(best), transitions);
            }

            return;
        }

        if (confirmed && best!.ZoneId != CurrentZoneId && best.Smoothed >= currentZoneRssi + options.SwitchMarginDb)
        {
            MoveTo(best.ZoneId, now, Confidence(best), transitions);
            return;
        }

        if (now - currentZoneLastHeard > options.ExitTimeout)
        {
            // Left at the last moment the zone was heard, not when we noticed.
            MoveTo(null, currentZoneLastHeard, 1.0, transitions);
        }
    }

    private void MoveTo(string? zoneId, DateTimeOffset at, double confidence, List<ZoneTransition> transitions)
    {
        transitions.Add(new ZoneTransition(CurrentZoneId, zoneId, at, confidence));
        CurrentZoneId = zoneId;
        EnteredAt = zoneId is null ? null : at;
    }

    private double Confidence(GatewayTrack track)
    {
        // Crude: how far above the entry threshold the smoothed signal is, over a 20 dB range.
        var above = (track.Smoothed - options.EnterRssiDbm + 10) / 20;
        return Math.Clamp(above, 0.05, 1.0);
    }

    private sealed class GatewayTrack(string zoneId, int strongCapacity)
    {
        // Ring of the timestamps of the last strong sightings.
        private readonly DateTimeOffset[] _strong = new DateTimeOffset[strongCapacity];
        private int _strongCount;
        private int _strongNext;

        public string ZoneId { get; set; } = zoneId;

        public double Smoothed { get; private set; }

        public DateTimeOffset LastHeard { get; private set; } = DateTimeOffset.MinValue;

        public void Add(double rssi, DateTimeOffset at, ZoneResolverOptions options)
        {
            Smoothed = LastHeard == DateTimeOffset.MinValue
                ? rssi
                : (options.SmoothingAlpha * rssi) + ((1 - options.SmoothingAlpha) * Smoothed);
            if (at > LastHeard)
            {
                LastHeard = at;
            }

            if (rssi >= options.EnterRssiDbm)
            {
                _strong[_strongNext] = at;
                _strongNext = (_strongNext + 1) % _strong.Length;
                _strongCount = Math.Min(_strongCount + 1, _strong.Length);
            }
        }

        public bool IsConfirmed(DateTimeOffset now, ZoneResolverOptions options)
        {
            if (_strongCount < _strong.Length)
            {
                return false;
            }

            // All of the last N strong sightings lie within the window ending now.
            foreach (var at in _strong)
            {
                if (now - at > options.EnterWindow)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
