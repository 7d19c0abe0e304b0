namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// Places one shopper in a zone from the readings of the gateways that hear them, on event time.
/// <list type="bullet">
/// <item>Each gateway's readings are filtered (window median by default) after spike rejection.</item>
/// <item>A shopper in no zone enters the zone of the strongest gateway once that gateway has confirmed
/// them (the contract's 3 sightings at -70 dBm or stronger within 3 s).</item>
/// <item>A shopper in a zone moves only when another zone is stronger by the switch margin, after the
/// minimum dwell, and, for a zone that is not a neighbour, only once it has kept its lead for a while.</item>
/// <item>A shopper exits when the zone has been silent for the exit timeout (at the moment it was last
/// heard), or at once when every gateway hears them only faintly.</item>
/// </list>
/// One instance per shopper; not thread-safe. Allocation-free per reading once its gateways are known.
/// </summary>
public sealed class ZoneResolver : IZoneResolver
{
    private readonly ZoneResolverOptions _options;
    private readonly ZoneGraph _graph;
    private readonly List<GatewayTrack> _tracks = [];
    private string? _candidate;
    private DateTimeOffset _candidateSince;
    private long _dwellTicks;
    private DateTimeOffset _settledAt = DateTimeOffset.MinValue;

    public ZoneResolver(ZoneResolverOptions options, ZoneGraph? graph = null)
    {
        options.Validate();
        _options = options;
        _graph = graph ?? ZoneGraph.Unconstrained;
    }

    public string? CurrentZoneId { get; private set; }

    public DateTimeOffset? EnteredAt { get; private set; }

    public DateTimeOffset? LastEventTime { get; private set; }

    public int TrackedGateways => _tracks.Count;

    /// <summary>How clearly the current zone leads, 0 to 1.</summary>
    public double Confidence { get; private set; }

    public void Observe(in GatewayReading reading, List<ProximityEvent> events)
    {
        // A change of zone is weighed once every reading of a moment is in, that is when event time
        // moves past it, so the order in which gateways report one moment does not matter.
        if (LastEventTime is { } last && reading.Timestamp > last && _settledAt != last)
        {
            Decide(last, events, settled: true);
        }

        var track = Track(reading.GatewayId, reading.ZoneId);
        if (!track.Add(reading.Rssi, reading.Timestamp, _options))
        {
            return;
        }

        var now = LastEventTime is { } previous && previous > reading.Timestamp ? previous : reading.Timestamp;
        LastEventTime = now;

        // Entering needs no wait: the contract places a shopper by the last of the confirming sightings.
        Decide(now, events, settled: false);
    }

    public void Settle(List<ProximityEvent> events)
    {
        if (LastEventTime is { } last && _settledAt != last)
        {
            Decide(last, events, settled: true);
        }
    }

    public void Advance(DateTimeOffset eventTime, List<ProximityEvent> events)
    {
        if (LastEventTime is { } last)
        {
            if (eventTime <= last)
            {
                return;
            }

            Settle(events);
        }

        LastEventTime = eventTime;
        Decide(eventTime, events, settled: true);
    }

    private void Decide(DateTimeOffset now, List<ProximityEvent> events, bool settled)
    {
        if (settled)
        {
            _settledAt = now;
        }

        // One pass: the strongest fresh gateway, the strongest of another zone (for confidence), and
        // the current zone's level and when it was last heard.
        GatewayTrack? best = null;
        var runnerUp = double.NegativeInfinity;
        var current = double.NegativeInfinity;
        var currentLastHeard = DateTimeOffset.MinValue;
        foreach (var track in _tracks)
        {
            var isCurrent = CurrentZoneId is not null && track.ZoneId == CurrentZoneId;
            if (isCurrent && track.LastHeard > currentLastHeard)
            {
                currentLastHeard = track.LastHeard;
            }

            if (now - track.LastHeard > _options.GatewayStaleAfter)
            {
                continue;
            }

            if (isCurrent)
            {
                current = Math.Max(current, track.Level);
            }

            if (best is null || track.Level > best.Level)
            {
                if (best is not null && best.ZoneId != track.ZoneId)
                {
                    runnerUp = Math.Max(runnerUp, best.Level);
                }

                best = track;
            }
            else if (track.ZoneId != best.ZoneId)
            {
                runnerUp = Math.Max(runnerUp, track.Level);
            }
        }

        if (CurrentZoneId is not null)
        {
            if (now - currentLastHeard > _options.ExitTimeout)
            {
                // Left at the moment the zone was last heard, not when we noticed.
                Exit(currentLastHeard, 1.0, events);
            }
            else if (best is not null && best.Level < _options.ExitRssiDbm)
            {
                Exit(now, Logistic(_options.ExitRssiDbm - best.Level), events);
            }
            else if (best is not null && settled)
            {
                ConsiderSwitch(best, current, runnerUp, now, events);
            }
        }

        if (CurrentZoneId is null && best is not null && best.Level >= _options.ExitRssiDbm && best.IsConfirmed(now, _options))
        {
            Enter(best.ZoneId, now, Logistic(best.Level - runnerUp), events);
        }

        if (CurrentZoneId is not null)
        {
            // How far the current zone leads the strongest other zone (runnerUp is that, when the current zone is the strongest).
            var strongestOther = best is null || best.ZoneId == CurrentZoneId ? runnerUp : best.Level;
            Confidence = Logistic(current - strongestOther);
            EmitDwellTicks(now, events);
        }

        if (settled)
        {
            Forget(now);
        }
    }

    /// <summary>
    /// Drops the tracks of gateways silent for longer than staleness and the exit timeout: nothing
    /// reads them any more (an exit they could cause has happened above), and a shopper who walked the
    /// whole store, or left it, should not carry every gateway they ever passed.
    /// </summary>
    private void Forget(DateTimeOffset now)
    {
        var limit = _options.GatewayStaleAfter > _options.ExitTimeout ? _options.GatewayStaleAfter : _options.ExitTimeout;
        for (var i = _tracks.Count - 1; i >= 0; i--)
        {
            if (now - _tracks[i].LastHeard > limit)
            {
                _tracks.RemoveAt(i);
            }
        }
    }

    private void ConsiderSwitch(GatewayTrack best, double current, double runnerUp, DateTimeOffset now, List<ProximityEvent> events)
    {
        var leads = best.ZoneId != CurrentZoneId
            && now - EnteredAt!.Value >= _options.MinDwell
            && best.Level >= current + _options.SwitchMarginDb
            && best.IsConfirmed(now, _options);
        if (!leads)
        {
            _candidate = null;
            return;
        }

        if (!_graph.AllowsDirect(CurrentZoneId!, best.ZoneId))
        {
            if (_candidate != best.ZoneId)
            {
                _candidate = best.ZoneId;
                _candidateSince = now;
            }

            // The far zone must show its lead across its own readings for the confirmation time: a
            // burst of leaked readings that then falls silent keeps a stale lead, not a real one.
            if (best.LastHeard - _candidateSince < _options.NonAdjacentConfirm)
            {
                return;
            }
        }

        var confidence = Logistic(best.Level - Math.Max(current, runnerUp));
        Exit(now, confidence, events);
        Enter(best.ZoneId, now, confidence, events);
    }

    private void Enter(string zoneId, DateTimeOffset at, double confidence, List<ProximityEvent> events)
    {
        CurrentZoneId = zoneId;
        EnteredAt = at;
        Confidence = confidence;
        _candidate = null;
        _dwellTicks = 0;
        events.Add(new ProximityEvent(ProximityEventKind.Entered, zoneId, at, TimeSpan.Zero, confidence));
    }

    private void Exit(DateTimeOffset at, double confidence, List<ProximityEvent> events)
    {
        var zone = CurrentZoneId!;
        var enteredAt = EnteredAt!.Value;
        if (at < enteredAt)
        {
            at = enteredAt;
        }

        events.Add(new ProximityEvent(ProximityEventKind.Exited, zone, at, at - enteredAt, confidence));
        CurrentZoneId = null;
        EnteredAt = null;
        Confidence = 0;
        _candidate = null;
    }

    private void EmitDwellTicks(DateTimeOffset now, List<ProximityEvent> events)
    {
        var ticks = (now - EnteredAt!.Value).Ticks / _options.DwellTick.Ticks;
        while (_dwellTicks < ticks)
        {
            _dwellTicks++;
            var dwell = TimeSpan.FromTicks(_options.DwellTick.Ticks * _dwellTicks);
            events.Add(new ProximityEvent(ProximityEventKind.Dwell, CurrentZoneId!, EnteredAt.Value + dwell, dwell, Confidence));
        }
    }

    private GatewayTrack Track(string gatewayId, string zoneId)
    {
        foreach (var track in _tracks)
        {
            if (track.GatewayId == gatewayId)
            {
                track.ZoneId = zoneId;
                return track;
            }
        }

        var added = new GatewayTrack(gatewayId, zoneId);
        _tracks.Add(added);
        return added;
    }

    /// <summary>A lead of 0 dB is a coin toss; 4 dB (one jitter's width) is about 73 %; 12 dB about 95 %.</summary>
    private static double Logistic(double leadDb) =>
        double.IsNaN(leadDb) || double.IsNegativeInfinity(leadDb) ? 0
        : double.IsPositiveInfinity(leadDb) ? 0.99
        : Math.Min(0.99, 1 / (1 + Math.Exp(-leadDb / 4)));
}
