namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// Places one shopper in a zone from the readings of the gateways that hear them, on event time, as a
/// forward filter (a hidden Markov model) over the zones in play.
/// <list type="bullet">
/// <item>Each gateway's readings are filtered (exponential smoothing over time by default) after spike rejection.</item>
/// <item>Once per moment (when every reading of it is in) each zone's probability moves by the store's
/// zone graph (staying is likely, neighbours are reachable, far zones are rare) and is then weighed
/// by how well the filtered levels fit the zone: uncalibrated, a zone expects its own gateways to lead
/// the others by <see cref="ZoneResolverOptions.ZoneLeadDb"/>; calibrated, the pattern its walk measured.</item>
/// <item>A shopper in no zone enters once the strongest gateway has confirmed them (the contract's 3
/// sightings at -70 dBm or stronger within 3 s); a shopper in a zone moves to another once that zone is
/// more probable by <see cref="ZoneResolverOptions.SwitchMargin"/>, after the minimum dwell.</item>
/// <item>A shopper exits when no gateway has heard them for the exit timeout (at the moment they were
/// last heard), or at once when every gateway hears them only faintly.</item>
/// </list>
/// Events carry the zone's probability as their confidence.
/// <para>Both directions fuse here: a store beacon the shopper's phone reports hearing is a pseudo-track of
/// its zone with its own level (<see cref="GatewayReading.FromPhone"/>), weighed by the same rules as a
/// gateway hearing the phone. Events say whether a gateway of the zone confirmed the shopper.</para>
/// One instance per shopper; not thread-safe. Allocation-free per reading once its gateways are known.
/// </summary>
public sealed class ZoneResolver : IZoneResolver
{
    /// <summary>A gap longer than this many step intervals is crossed in one step.</summary>
    private const int MaxSubSteps = 20;

    private readonly ZoneResolverOptions _options;
    private readonly ZoneModel _model;
    private readonly PathLossTable? _pathLoss;

    // The positioned gateways heard at the step being weighed (count -1: one is not positioned).
    private double[] _placedLevel = new double[4];
    private int[] _placedIndex = new int[4];
    private int _placedCount;
    private readonly List<GatewayTrack> _tracks = [];
    private readonly List<ZoneBelief> _zones = [];
    private double[] _heard = new double[4];
    private long _dwellTicks;
    private DateTimeOffset _settledAt = DateTimeOffset.MinValue;
    private DateTimeOffset _steppedAt = DateTimeOffset.MinValue;
    private string? _leader;
    private DateTimeOffset _leaderSince;

    // Confidence as last worked out, and whether anything heard since has made it stale.
    private double _confidence;
    private bool _confidenceStale = true;

    // The zone most probable after the last step of the filter, and the step from which it has been.
    private ZoneBelief? _led;
    private DateTimeOffset _ledSince;

    // Whether a gateway (not only the phone) heard the shopper in the current zone during the stay.
    private bool _stayConfirmed;

    // The phone's region exit: readings up to then are from before the shopper left and are ignored.
    private DateTimeOffset _leftAt = DateTimeOffset.MinValue;

    // The shopper's device offset as learnt so far (ZoneResolverOptions.DeviceOffsetLearningSeconds), against the
    // path-loss prior's level at 1 m and against the calibration walk's device, with the seconds of evidence behind each.
    private DeviceOffset _geometricOffset;
    private DeviceOffset _calibratedOffset;

    public ZoneResolver(ZoneResolverOptions options, ZoneGraph? graph = null)
        : this(options, graph is null ? ZoneModel.Uncalibrated : new ZoneModel(graph))
    {
    }

    public ZoneResolver(ZoneResolverOptions options, ZoneModel model)
    {
        options.Validate();
        _options = options;
        _model = model;
        _pathLoss = model.PathLoss(options);
    }

    public string? CurrentZoneId { get; private set; }

    public DateTimeOffset? EnteredAt { get; private set; }

    public DateTimeOffset? LastEventTime { get; private set; }

    public int TrackedGateways => _tracks.Count;

    public bool IsPhoneOnly => CurrentZoneId is { } zone && LastEventTime is { } now && !GatewayHears(zone, now);

    /// <summary>
    /// The probability that the shopper is in <see cref="CurrentZoneId"/>, 0 to 1, on everything heard so far
    /// (the filter stepped on, without keeping the step, past the last moment every gateway had reported to the
    /// newest reading, with the gateways that already reported): a shopper who just walked out of the zone
    /// loses confidence before the move is placed, and offers wait.
    /// </summary>
    public double Confidence
    {
        get
        {
            if (CurrentZoneId is not { } zone || LastEventTime is not { } now)
            {
                return 0;
            }

            // Worked out when asked (once per batch by the store's offers), not on every reading.
            if (_confidenceStale)
            {
                _confidence = FreshProbability(zone, now);
                _confidenceStale = false;
            }

            return _confidence;
        }
    }

    /// <summary>The probability of a zone in play (0 for one no gateway that hears the shopper belongs to).</summary>
    public double ProbabilityOf(string zoneId)
    {
        foreach (var zone in _zones)
        {
            if (zone.ZoneId == zoneId)
            {
                return zone.Probability;
            }
        }

        return 0;
    }

    public void Observe(in GatewayReading reading, List<ProximityEvent> events)
    {
        // Zone probabilities move once every reading of a moment is in, that is when event time moves
        // past it, so the order in which gateways report one moment does not matter.
        if (LastEventTime is { } last && reading.Timestamp > last && _settledAt != last)
        {
            Decide(last, events, settled: true);
        }

        if (reading.Timestamp <= _leftAt)
        {
            return;
        }

        var track = Track(reading.GatewayId, reading.ZoneId, reading.FromPhone);
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

    public void LeaveStore(DateTimeOffset at, List<ProximityEvent> events)
    {
        Settle(events);
        if (CurrentZoneId is not null)
        {
            Exit(at, 1.0, events);
        }

        // Everything heard so far belongs to the visit that ended; the next readings place the shopper afresh.
        _tracks.Clear();
        _zones.Clear();
        _steppedAt = DateTimeOffset.MinValue;
        _leader = null;
        _led = null;
        _geometricOffset = default;
        _calibratedOffset = default;
        if (at > _leftAt)
        {
            _leftAt = at;
        }

        if (LastEventTime is not { } last || at > last)
        {
            LastEventTime = at;
        }

        _settledAt = LastEventTime.Value;
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
        _confidenceStale = true;
        if (settled)
        {
            _settledAt = now;
            Step(Watermark(now));
        }

        // The strongest fresh gateway, and when any gateway last heard the shopper.
        GatewayTrack? best = null;
        var lastHeard = DateTimeOffset.MinValue;
        foreach (var track in _tracks)
        {
            if (track.LastHeard > lastHeard)
            {
                lastHeard = track.LastHeard;
            }

            if (now - track.LastHeard <= _options.GatewayStaleAfter && (best is null || track.CorrectedLevel > best.CorrectedLevel))
            {
                best = track;
            }
        }

        if (CurrentZoneId is not null)
        {
            if (now - lastHeard > _options.ExitTimeout)
            {
                // Left at the moment they were last heard, not when we noticed.
                Exit(lastHeard, 1.0, events);
            }
            else if (best is not null && best.CorrectedLevel < _options.ExitRssiDbm)
            {
                Exit(now, 1.0, events);
            }
            else if (settled)
            {
                ConsiderSwitch(now, events);
            }
        }

        if (CurrentZoneId is null && best is not null && best.CorrectedLevel >= _options.ExitRssiDbm && best.IsConfirmed(now, _options))
        {
            // The most probable zone once the filter has weighed a moment; before that, the contract's
            // confirming gateway's.
            var zone = settled && Map() is { } map && map.Probability >= 0.5 ? map.ZoneId : best.ZoneId;
            Enter(zone, now, events);
        }

        if (CurrentZoneId is not null)
        {
            _stayConfirmed |= GatewayHears(CurrentZoneId, now);
            EmitDwellTicks(now, events);
        }

        if (settled)
        {
            Forget(now);
        }
    }

    /// <summary>
    /// Brings the forward filter up to <paramref name="until"/> in steps of
    /// <see cref="ZoneResolverOptions.StepInterval"/>, each weighing the gateways' levels as they stood at
    /// its moment: so a second of readings that arrives gateway by gateway is weighed as if it had come
    /// moment by moment, and a phone heard at 10 Hz as one heard at 3 Hz.
    /// </summary>
    private void Step(DateTimeOffset until)
    {
        if (_zones.Count == 0 || _steppedAt == DateTimeOffset.MinValue)
        {
            if (_zones.Count > 0)
            {
                StepAt(until, 1.0);
            }

            _steppedAt = until;
            return;
        }

        var gap = (until - _steppedAt).TotalSeconds;
        var interval = _options.StepInterval.TotalSeconds;
        if (gap <= 0 || gap < interval)
        {
            return;
        }

        if (interval <= 0 || gap > MaxSubSteps * interval)
        {
            // One step over the whole gap (a long silence, or stepping on every reading).
            StepAt(until, Math.Min(gap, 60));
            _steppedAt = until;
            return;
        }

        // As many steps as whole intervals fit, evenly spaced, the last at the moment itself.
        var steps = (int)(gap / interval);
        var from = _steppedAt;
        for (var k = 1; k <= steps; k++)
        {
            StepAt(k == steps ? until : from + ((until - from) * k / steps), gap / steps);
        }

        _steppedAt = until;
    }

    /// <summary>
    /// One step of the forward filter to <paramref name="now"/>, <paramref name="dt"/> seconds after the
    /// last: the zones move by the zone graph, then each is weighed by how well the gateways' levels at
    /// that moment fit it.
    /// </summary>
    private void StepAt(DateTimeOffset now, double dt, bool commit = true)
    {
        var n = _zones.Count;

        // Motion: a shopper leaves a zone at the leave rate; the mass that leaves goes to the zone's
        // neighbours, and a small share of it to zones that are not neighbours (leaks, skipped zones).
        var leave = 1 - Math.Exp(-_options.LeaveRatePerSecond * dt);
        for (var i = 0; i < n; i++)
        {
            _zones[i].Next = _zones[i].Probability * (1 - leave);
        }

        for (var i = 0; i < n; i++)
        {
            var from = _zones[i];
            var neighbours = 0;
            for (var j = 0; j < n; j++)
            {
                if (j != i && _model.Graph.AllowsDirect(from.ZoneId, _zones[j].ZoneId))
                {
                    neighbours++;
                }
            }

            var others = n - 1;
            if (others == 0)
            {
                from.Next += from.Probability * leave;
                continue;
            }

            var far = others - neighbours;
            var toNeighbour = neighbours == 0 ? 0 : from.Probability * leave * (far == 0 ? 1 : 1 - _options.FarShare) / neighbours;
            var toFar = far == 0 ? 0 : from.Probability * leave * (neighbours == 0 ? 1 : _options.FarShare) / far;
            for (var j = 0; j < n; j++)
            {
                if (j != i)
                {
                    _zones[j].Next += _model.Graph.AllowsDirect(from.ZoneId, _zones[j].ZoneId) ? toNeighbour : toFar;
                }
            }
        }

        // Evidence: each zone's log-likelihood of the levels at that moment, relative to the strongest gateway.
        if (_heard.Length < _tracks.Count)
        {
            _heard = new double[Math.Max(_tracks.Count, _heard.Length * 2)];
        }

        var strongest = double.NegativeInfinity;
        for (var i = 0; i < _tracks.Count; i++)
        {
            _heard[i] = double.NaN;
            if (_tracks[i].TryLevelAt(now, out var level, out var heardAt) && now - heardAt <= _options.GatewayStaleAfter)
            {
                _heard[i] = Faded(level, now - heardAt);
                strongest = Math.Max(strongest, _heard[i]);
            }
        }

        var best = double.NegativeInfinity;
        if (!double.IsNegativeInfinity(strongest))
        {
            PlacedLevels();
            foreach (var zone in _zones)
            {
                zone.OffsetFitted = false;
                zone.Score = Score(zone, strongest);
                best = Math.Max(best, zone.Score);
            }
        }

        var total = 0.0;
        var weight = Math.Min(dt, 1.0) / (2 * _options.SignalSigmaDb * _options.SignalSigmaDb);
        foreach (var zone in _zones)
        {
            zone.Peek = double.IsNegativeInfinity(best) ? zone.Next : zone.Next * Math.Exp(weight * (zone.Score - best));
            total += zone.Peek;
        }

        for (var i = 0; i < n; i++)
        {
            _zones[i].Peek = total > 0 ? _zones[i].Peek / total : 1.0 / n;
            if (commit)
            {
                _zones[i].Probability = _zones[i].Peek;
            }
        }

        if (commit && Map() is { } map)
        {
            if (map != _led)
            {
                _led = map;
                _ledSince = now;
            }

            LearnOffset(map, dt);
        }
    }

    /// <summary>
    /// Moves the learnt device offset towards the one the most probable zone fitted at this step, by as much as its
    /// probability and the step's share of the time constant say (a running mean while less evidence is in).
    /// </summary>
    private void LearnOffset(ZoneBelief map, double dt)
    {
        var tau = _options.DeviceOffsetLearningSeconds;
        if (tau <= 0 || !map.OffsetFitted || dt <= 0)
        {
            return;
        }

        var bound = 2 * _options.SignalSigmaDb;
        if (map.Fingerprint is not null)
        {
            _calibratedOffset = _calibratedOffset.Learn(map.Offset, dt * map.Probability, tau, bound);
        }
        else
        {
            _geometricOffset = _geometricOffset.Learn(map.Offset, dt * map.Probability, tau, bound);
        }
    }

    /// <summary>How far a learnt offset is trusted, 0 to 1: the seconds of evidence behind it over the time constant.</summary>
    private double OffsetLearnt(DeviceOffset learnt) =>
        _options.DeviceOffsetLearningSeconds <= 0 || learnt.Seconds <= 0 ? 0 : Math.Min(1, learnt.Seconds / _options.DeviceOffsetLearningSeconds);

    /// <summary>How strongly (in residuals' units, sigma² over the drift²) a moment's offset is held to a learnt one: growing to full strength over the time constant.</summary>
    private double OffsetHold(DeviceOffset learnt) =>
        OffsetLearnt(learnt) * _options.SignalSigmaDb * _options.SignalSigmaDb / (_options.DeviceOffsetDriftDb * _options.DeviceOffsetDriftDb);

    /// <summary>
    /// The probability of the shopper's zone on everything heard so far: the filter stepped on (without keeping
    /// the step) from the last moment every gateway had reported to <paramref name="now"/>, with the levels
    /// the gateways that already reported give. A shopper who just left shows in the first gateways' batches
    /// before the others are in; an offer should not speak on the older moment alone.
    /// </summary>
    private double FreshProbability(string zoneId, DateTimeOffset now)
    {
        var committed = ProbabilityOf(zoneId);
        if (_zones.Count == 0 || _steppedAt == DateTimeOffset.MinValue || now - _steppedAt < TimeSpan.FromMilliseconds(50))
        {
            return committed;
        }

        StepAt(now, Math.Min((now - _steppedAt).TotalSeconds, 60), commit: false);
        foreach (var zone in _zones)
        {
            if (zone.ZoneId == zoneId)
            {
                return zone.Peek;
            }
        }

        return committed;
    }

    /// <summary>
    /// The moment up to which every gateway still hearing the shopper has reported: gateways send their
    /// batches one after another, each a second of readings, so the model steps when the last of them is
    /// in, never with one gateway a second ahead of the others. A gateway silent for longer than
    /// <see cref="ZoneResolverOptions.ReportingLag"/> behind the newest does not hold the model back: it has stopped hearing
    /// the shopper and fades as evidence.
    /// </summary>
    private DateTimeOffset Watermark(DateTimeOffset now)
    {
        var newest = DateTimeOffset.MinValue;
        foreach (var track in _tracks)
        {
            if (track.LastHeard > newest)
            {
                newest = track.LastHeard;
            }
        }

        if (newest == DateTimeOffset.MinValue)
        {
            return now;
        }

        var watermark = newest;
        foreach (var track in _tracks)
        {
            if (track.LastHeard < watermark && newest - track.LastHeard <= _options.ReportingLag)
            {
                watermark = track.LastHeard;
            }
        }

        // Past the newest reading (time moved on in silence), the model may step to now.
        return now - newest > _options.ReportingLag ? now : watermark;
    }

    /// <summary>Minus the summed squared residuals (dB², Huber beyond two sigmas) of the levels of the moment against what the zone expects.</summary>
    private double Score(ZoneBelief zone, double strongest) =>
        zone.Fingerprint is { } levels ? CalibratedScore(zone, levels) + PhoneScore(zone.ZoneId)
        : zone.PathLoss is { } expected && _options.GeometryWeight > 0 && EveryGatewayPlaced()
            ? (_options.GeometryWeight * (GeometricScore(zone, expected) + PhoneScore(zone.ZoneId))) + ((1 - _options.GeometryWeight) * UncalibratedScore(zone.ZoneId, strongest))
        : UncalibratedScore(zone.ZoneId, strongest);

    /// <summary>Whether every gateway heard at this step has a position (phones' pseudo-tracks aside).</summary>
    private bool EveryGatewayPlaced() => _placedCount >= 0;

    /// <summary>
    /// The levels of the gateways heard at this step with their places in the path-loss table, gathered once
    /// for every zone's score; none (-1) when one of them has no position.
    /// </summary>
    private void PlacedLevels()
    {
        _placedCount = 0;
        if (_pathLoss is null)
        {
            _placedCount = -1;
            return;
        }

        if (_placedLevel.Length < _tracks.Count)
        {
            _placedLevel = new double[_heard.Length];
            _placedIndex = new int[_heard.Length];
        }

        for (var i = 0; i < _tracks.Count; i++)
        {
            if (_tracks[i].FromPhone || double.IsNaN(_heard[i]))
            {
                continue;
            }

            if (_tracks[i].GeometryIndex < 0)
            {
                _placedCount = -1;
                return;
            }

            _placedLevel[_placedCount] = _heard[i];
            _placedIndex[_placedCount++] = _tracks[i].GeometryIndex;
        }
    }

    /// <summary>
    /// Uncalibrated, with positions: how well the levels fit a phone at the best-fitting of the zone's sample
    /// points. At each point each gateway is expected to read the path loss from it (<see cref="ZoneRegions"/>),
    /// shifted by the one offset that fits this phone best (its transmit power is unknown), so the pattern across
    /// gateways decides, as a calibrated zone's does. A shopper at the zone's far edge, where a gateway of the
    /// next zone reads almost as strong as the zone's own, still fits the zone.
    /// (The likelihood averaged over the zone's points scored lower on the public walks: benchmarks/RESULTS.md.)
    /// </summary>
    private double GeometricScore(ZoneBelief zone, double[] expected)
    {
        var stride = _pathLoss!.Gateways;
        var points = expected.Length / stride;
        var n = _placedCount;
        if (n == 0)
        {
            return 0;
        }

        // With the device offset learnt, each point's offset is held to it (a Gaussian prior, its penalty in the sum).
        var hold = OffsetHold(_geometricOffset);
        var learnt = _geometricOffset.Db;
        var best = double.NegativeInfinity;
        var bestOffset = 0.0;
        for (var p = 0; p < points; p++)
        {
            var row = p * stride;
            var gap = 0.0;
            for (var i = 0; i < n; i++)
            {
                gap += _placedLevel[i] - expected[row + _placedIndex[i]];
            }

            var offset = (gap + (hold * learnt)) / (n + hold);
            var sum = hold * (offset - learnt) * (offset - learnt);
            for (var i = 0; i < n; i++)
            {
                sum += Huber(_placedLevel[i] - expected[row + _placedIndex[i]] - offset);
            }

            if (-sum > best)
            {
                best = -sum;
                bestOffset = offset;
            }
        }

        zone.Offset = bestOffset;
        zone.OffsetFitted = true;
        return best;
    }

    /// <summary>
    /// In a calibrated zone, the store beacons the phone reports: a calibration walk measures the gateways hearing
    /// the walker, not the beacons a phone hears, so a beacon leads in its own zone as an uncalibrated gateway does,
    /// relative to the strongest beacon heard.
    /// </summary>
    private double PhoneScore(string zoneId)
    {
        var strongest = double.NegativeInfinity;
        for (var i = 0; i < _tracks.Count; i++)
        {
            if (_tracks[i].FromPhone && !double.IsNaN(_heard[i]))
            {
                strongest = Math.Max(strongest, _heard[i]);
            }
        }

        var sum = 0.0;
        for (var i = 0; i < _tracks.Count && !double.IsNegativeInfinity(strongest); i++)
        {
            if (_tracks[i].FromPhone && !double.IsNaN(_heard[i]))
            {
                var expected = _tracks[i].ZoneId == zoneId ? 0 : -_options.ZoneLeadDb;
                sum += Huber(_heard[i] - strongest - expected);
            }
        }

        return -sum;
    }

    /// <summary>Uncalibrated: the zone's own gateways lead, every other reads <see cref="ZoneResolverOptions.ZoneLeadDb"/> below.</summary>
    private double UncalibratedScore(string zoneId, double strongest)
    {
        var sum = 0.0;
        for (var i = 0; i < _tracks.Count; i++)
        {
            if (!double.IsNaN(_heard[i]))
            {
                var expected = _tracks[i].ZoneId == zoneId ? 0 : -_options.ZoneLeadDb;
                sum += Huber(_heard[i] - strongest - expected);
            }
        }

        return -sum;
    }

    /// <summary>
    /// Calibrated: the levels the walk measured in the zone, shifted by the shopper's device's own offset
    /// against the walk's device (another phone transmits louder or softer). That offset is unknown, so the
    /// one that fits best is taken, held towards 0 by its prior (<see cref="ZoneResolverOptions.DeviceOffsetSigmaDb"/>):
    /// the pattern across gateways decides, not one gateway's absolute level.
    /// </summary>
    private double CalibratedScore(ZoneBelief zone, ZoneLevels levels)
    {
        var n = 0;
        var gap = 0.0;
        for (var i = 0; i < _tracks.Count; i++)
        {
            if (!_tracks[i].FromPhone && !double.IsNaN(_heard[i]))
            {
                gap += _heard[i] - levels.Expected(_tracks[i].GatewayId);
                n++;
            }
        }

        // The offset's prior: around 0 (the walk's device) until the shopper's own offset is learnt, then around that,
        // the one giving way to the other over the learning's time constant.
        var learning = OffsetLearnt(_calibratedOffset);
        var prior = (1 - learning) * _options.SignalSigmaDb * _options.SignalSigmaDb / (_options.DeviceOffsetSigmaDb * _options.DeviceOffsetSigmaDb);
        var hold = OffsetHold(_calibratedOffset);
        var learnt = _calibratedOffset.Db;
        var offset = (gap + (hold * learnt)) / (n + prior + hold);
        var sum = (prior * offset * offset) + (hold * (offset - learnt) * (offset - learnt));
        for (var i = 0; i < _tracks.Count; i++)
        {
            if (!_tracks[i].FromPhone && !double.IsNaN(_heard[i]))
            {
                sum += Huber(_heard[i] - levels.Expected(_tracks[i].GatewayId) - offset);
            }
        }

        zone.Offset = offset;
        zone.OffsetFitted = n > 0;
        return -sum;
    }

    /// <summary>
    /// A squared residual, but linear beyond two sigmas: a reading far off what the zone expects (a body
    /// in the way, a reflection) counts for less, so one gateway cannot veto a zone.
    /// </summary>
    private double Huber(double residual)
    {
        var r = Math.Abs(residual);
        var k = 2 * _options.SignalSigmaDb;
        return r <= k ? r * r : (2 * k * r) - (k * k);
    }

    /// <summary>
    /// A gateway's level as evidence now: a gateway that stopped hearing the shopper is fading from them,
    /// so its last level counts for less with every second of silence past the first.
    /// </summary>
    private double Heard(GatewayTrack track, DateTimeOffset now) => Faded(track.CorrectedLevel, now - track.LastHeard);

    private double Faded(double level, TimeSpan silence)
    {
        var silent = silence.TotalSeconds - 1;
        return silent > 0 ? level - (_options.SilenceFadeDbPerSecond * silent) : level;
    }

    /// <summary>Whether a gateway of the zone (not a phone's pseudo-track) heard the shopper lately.</summary>
    private bool GatewayHears(string zoneId, DateTimeOffset now)
    {
        foreach (var track in _tracks)
        {
            if (!track.FromPhone && track.ZoneId == zoneId && now - track.LastHeard <= _options.GatewayStaleAfter)
            {
                return true;
            }
        }

        return false;
    }

    private ZoneBelief? Map()
    {
        ZoneBelief? map = null;
        foreach (var zone in _zones)
        {
            if (map is null || zone.Probability > map.Probability)
            {
                map = zone;
            }
        }

        return map;
    }

    /// <summary>
    /// Drops the tracks of gateways silent for longer than staleness and the exit timeout, and the zones
    /// no remaining gateway belongs to (their probability goes to the others): a shopper who walked the
    /// whole store, or left it, should not carry every gateway they ever passed.
    /// </summary>
    private void Forget(DateTimeOffset now)
    {
        var limit = _options.GatewayStaleAfter > _options.ExitTimeout ? _options.GatewayStaleAfter : _options.ExitTimeout;
        var removed = false;
        for (var i = _tracks.Count - 1; i >= 0; i--)
        {
            if (now - _tracks[i].LastHeard > limit)
            {
                _tracks.RemoveAt(i);
                removed = true;
            }
        }

        if (!removed)
        {
            return;
        }

        var total = 0.0;
        for (var i = _zones.Count - 1; i >= 0; i--)
        {
            if (_zones[i].ZoneId != CurrentZoneId && !HasTrack(_zones[i].ZoneId))
            {
                _zones.RemoveAt(i);
            }
            else
            {
                total += _zones[i].Probability;
            }
        }

        foreach (var zone in _zones)
        {
            zone.Probability = total > 0 ? zone.Probability / total : 1.0 / _zones.Count;
        }
    }

    private bool HasTrack(string zoneId)
    {
        foreach (var track in _tracks)
        {
            if (track.ZoneId == zoneId)
            {
                return true;
            }
        }

        return false;
    }

    private void ConsiderSwitch(DateTimeOffset now, List<ProximityEvent> events)
    {
        if (Map() is not { } map)
        {
            return;
        }

        if (map.ZoneId != _leader)
        {
            _leader = map.ZoneId;
            _leaderSince = now;
        }

        if (map.ZoneId == CurrentZoneId || now - EnteredAt!.Value < _options.MinDwell)
        {
            return;
        }

        if (map.Probability >= ProbabilityOf(CurrentZoneId!) + _options.SwitchMargin
            && LeadsByMargin(map.ZoneId, now)
            && (_model.Graph.AllowsDirect(CurrentZoneId!, map.ZoneId) || now - _leaderSince >= _options.NonAdjacentConfirm))
        {
            // The trail says when the shopper moved as well as the filter can tell: from the step at which the
            // new zone became the most probable (the margin and the dwell only make the filter sure of it), else
            // the moment the evidence was weighed (every gateway in), never when the last batch came.
            var at = _steppedAt > EnteredAt!.Value && _steppedAt < now ? _steppedAt : now;
            if (_led == map && _ledSince > EnteredAt!.Value && _ledSince < at)
            {
                at = _ledSince;
            }

            Exit(at, map.Probability, events);
            Enter(map.ZoneId, at, events);
        }
    }

    /// <summary>The optional dB hysteresis: a gateway of the zone leads the current zone's strongest by <see cref="ZoneResolverOptions.SwitchMarginDb"/>.</summary>
    private bool LeadsByMargin(string zoneId, DateTimeOffset now)
    {
        if (_options.SwitchMarginDb <= 0)
        {
            return true;
        }

        double candidate = double.NegativeInfinity, current = double.NegativeInfinity;
        foreach (var track in _tracks)
        {
            if (now - track.LastHeard > _options.GatewayStaleAfter)
            {
                continue;
            }

            var level = Heard(track, now);
            if (track.ZoneId == zoneId)
            {
                candidate = Math.Max(candidate, level);
            }
            else if (track.ZoneId == CurrentZoneId)
            {
                current = Math.Max(current, level);
            }
        }

        return candidate >= current + _options.SwitchMarginDb;
    }

    private void Enter(string zoneId, DateTimeOffset at, List<ProximityEvent> events)
    {
        CurrentZoneId = zoneId;
        EnteredAt = at;
        _dwellTicks = 0;
        _confidenceStale = true;
        _stayConfirmed = GatewayHears(zoneId, at);
        events.Add(new ProximityEvent(ProximityEventKind.Entered, zoneId, at, TimeSpan.Zero, ProbabilityOf(zoneId), !_stayConfirmed));
    }

    private void Exit(DateTimeOffset at, double confidence, List<ProximityEvent> events)
    {
        var zone = CurrentZoneId!;
        var enteredAt = EnteredAt!.Value;
        if (at < enteredAt)
        {
            at = enteredAt;
        }

        events.Add(new ProximityEvent(ProximityEventKind.Exited, zone, at, at - enteredAt, confidence, !_stayConfirmed));
        CurrentZoneId = null;
        EnteredAt = null;
    }

    private void EmitDwellTicks(DateTimeOffset now, List<ProximityEvent> events)
    {
        var ticks = (now - EnteredAt!.Value).Ticks / _options.DwellTick.Ticks;
        while (_dwellTicks < ticks)
        {
            _dwellTicks++;
            var dwell = TimeSpan.FromTicks(_options.DwellTick.Ticks * _dwellTicks);
            events.Add(new ProximityEvent(ProximityEventKind.Dwell, CurrentZoneId!, EnteredAt.Value + dwell, dwell, Confidence, !GatewayHears(CurrentZoneId!, now)));
        }
    }

    private GatewayTrack Track(string gatewayId, string zoneId, bool fromPhone)
    {
        foreach (var track in _tracks)
        {
            if (track.GatewayId == gatewayId)
            {
                if (track.ZoneId != zoneId)
                {
                    track.ZoneId = zoneId;
                    Belief(zoneId);
                }

                return track;
            }
        }

        // A gateway joining others that already hear the shopper starts faint (see GatewayTrack.JoinLevel).
        var added = new GatewayTrack(gatewayId, zoneId)
        {
            FromPhone = fromPhone,
            Correction = _model.Correction(gatewayId),
            GeometryIndex = fromPhone || _model.Regions is null ? -1 : _model.Regions.GatewayIndex(gatewayId),
            JoinLevel = _tracks.Count > 0 ? _options.ExitRssiDbm : null,
        };
        _tracks.Add(added);
        Belief(zoneId);
        return added;
    }

    /// <summary>The zone's belief, added with a small share of probability the first time one of its gateways is heard.</summary>
    private void Belief(string zoneId)
    {
        foreach (var zone in _zones)
        {
            if (zone.ZoneId == zoneId)
            {
                return;
            }
        }

        // A zone first heard beside the current one starts with a small share; one the layout puts
        // out of reach starts with a far smaller one, so a leak through shelving does not move the shopper.
        var share = _zones.Count == 0 ? 1.0
            : CurrentZoneId is null || _model.Graph.AllowsDirect(CurrentZoneId, zoneId) ? _options.NewZoneShare
            : _options.NewZoneShare * _options.FarShare;
        foreach (var zone in _zones)
        {
            zone.Probability *= 1 - share;
        }

        _zones.Add(new ZoneBelief(zoneId, _model.Fingerprint(zoneId, _options), _pathLoss?.Zone(zoneId)) { Probability = share });
    }

    private sealed class ZoneBelief(string zoneId, ZoneLevels? fingerprint, double[]? pathLoss)
    {
        public string ZoneId { get; } = zoneId;

        public ZoneLevels? Fingerprint { get; } = fingerprint;

        /// <summary>Uncalibrated with positions: each gateway's expected level at each of the zone's points.</summary>
        public double[]? PathLoss { get; } = pathLoss;

        public double Probability { get; set; }

        public double Next { get; set; }

        public double Score { get; set; }

        /// <summary>The probability of a step just computed, kept only when the step is.</summary>
        public double Peek { get; set; }

        /// <summary>The device offset (dB) that fitted the zone best at the last step, when <see cref="OffsetFitted"/>.</summary>
        public double Offset { get; set; }

        public bool OffsetFitted { get; set; }
    }

    /// <summary>A learnt device offset (dB) and the seconds of evidence (weighed by probability) behind it.</summary>
    private readonly record struct DeviceOffset(double Db, double Seconds)
    {
        /// <summary>
        /// This offset moved towards <paramref name="fitted"/>: a running mean until <paramref name="tau"/> seconds
        /// of evidence are in, then an exponential average over them; the change bounded to <paramref name="bound"/>.
        /// </summary>
        public DeviceOffset Learn(double fitted, double weight, double tau, double bound)
        {
            if (weight <= 0)
            {
                return this;
            }

            var seconds = Seconds + weight;
            var gain = Seconds <= 0 ? 1 : weight / Math.Min(seconds, tau);
            var change = Seconds <= 0 ? fitted - Db : Math.Clamp((fitted - Db) * Math.Min(gain, 1), -bound, bound);
            return new DeviceOffset(Db + change, seconds);
        }
    }
}
