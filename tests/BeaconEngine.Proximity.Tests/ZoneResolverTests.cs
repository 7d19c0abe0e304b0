using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Tests;

public sealed class ZoneResolverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly List<ProximityEvent> _events = [];
    private ZoneResolver _resolver = new(new ZoneResolverOptions());

    private IEnumerable<(ProximityEventKind, string)> Changes =>
        _events.Where(e => e.Kind != ProximityEventKind.Dwell).Select(e => (e.Kind, e.ZoneId));

    [Fact]
    public void Three_strong_sightings_within_three_seconds_place_the_shopper_at_the_last_of_them()
    {
        See("gw-a", "aisle-1", -65, 0);
        See("gw-a", "aisle-1", -60, 1);
        Assert.Empty(_events);

        See("gw-a", "aisle-1", -62, 2.5);

        var e = Assert.Single(_events);
        Assert.Equal((ProximityEventKind.Entered, "aisle-1", T0.AddSeconds(2.5)), (e.Kind, e.ZoneId, e.At));
        Assert.Equal("aisle-1", _resolver.CurrentZoneId);
        Assert.InRange(e.Confidence, 0.5, 1.0);
    }

    [Fact]
    public void Sightings_spread_over_more_than_three_seconds_or_weaker_than_minus_70_do_not_place()
    {
        See("gw-a", "aisle-1", -60, 0);
        See("gw-a", "aisle-1", -60, 2);
        See("gw-a", "aisle-1", -75, 2.5);
        See("gw-a", "aisle-1", -60, 4);
        Assert.Empty(_events);
    }

    [Fact]
    public void Jitter_of_five_db_between_two_gateways_three_db_apart_does_not_flap()
    {
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            See("gw-a", "aisle-1", -60 + (random.NextDouble() * 10) - 5, i * 0.2);
            See("gw-b", "aisle-2", -63 + (random.NextDouble() * 10) - 5, (i * 0.2) + 0.1);
        }

        Assert.Equal([(ProximityEventKind.Entered, "aisle-1")], Changes);
    }

    [Fact]
    public void A_zone_that_clearly_leads_takes_over_after_the_minimum_dwell()
    {
        Walk("gw-a", "aisle-1", -60, from: 0, to: 3);
        Walk2("gw-a", "aisle-1", -72, "gw-b", "aisle-2", -58, from: 3, to: 8);

        Assert.Equal(
            [(ProximityEventKind.Entered, "aisle-1"), (ProximityEventKind.Exited, "aisle-1"), (ProximityEventKind.Entered, "aisle-2")],
            Changes);
        var exit = _events.Single(e => e.Kind == ProximityEventKind.Exited);
        var entry = _events.Last(e => e.Kind == ProximityEventKind.Entered);
        Assert.Equal(exit.At, entry.At);
        // The filter's smoothing and the zone's probability take a few seconds to follow a move.
        Assert.InRange(entry.At, T0.AddSeconds(3), T0.AddSeconds(7));
    }

    [Fact]
    public void Through_batches_the_trail_dates_a_move_from_the_step_the_new_zone_became_the_most_probable()
    {
        // As the API receives it: each gateway's second of readings in one batch, the old zone's gateway first.
        var decidedAt = DateTimeOffset.MinValue;
        for (var second = 0; second < 12; second++)
        {
            var moved = second >= 4;
            Batch("gw-a", "aisle-1", moved ? -72 : -60, second);
            Batch("gw-b", "aisle-2", moved ? -58 : -70, second);
            _resolver.Settle(_events);
            if (decidedAt == DateTimeOffset.MinValue && _resolver.CurrentZoneId == "aisle-2")
            {
                decidedAt = T0.AddSeconds(second + 0.8);
            }
        }

        var entry = _events.Last(e => e.Kind == ProximityEventKind.Entered);
        Assert.Equal("aisle-2", entry.ZoneId);
        Assert.Equal(_events.Single(e => e.Kind == ProximityEventKind.Exited).At, entry.At);

        // Not before the move, and earlier than the batch that made the filter sure of it (which the move
        // was dated at before): the margin decides when the shopper is moved, the step at which aisle-2 led
        // dates the move.
        Assert.InRange(entry.At, T0.AddSeconds(4), decidedAt.AddSeconds(-0.2));
    }

    [Fact]
    public void Confidence_falls_with_the_first_batches_that_hear_the_shopper_leave_before_the_move_is_placed()
    {
        for (var second = 0; second < 8; second++)
        {
            Batch("gw-a", "aisle-1", -56, second);
            Batch("gw-b", "aisle-2", -70, second);
            _resolver.Settle(_events);
        }

        Assert.Equal("aisle-1", _resolver.CurrentZoneId);
        var settled = _resolver.Confidence;
        Assert.True(settled >= new ZoneResolverOptions().MinConfidence, $"confidence {settled:0.00} while the shopper stays");

        // The shopper walks to aisle-2: its gateway's batch is in, aisle-1's for that second is not yet.
        Batch("gw-b", "aisle-2", -52, 8);
        _resolver.Settle(_events);

        Assert.Equal("aisle-1", _resolver.CurrentZoneId);
        Assert.True(_resolver.Confidence < new ZoneResolverOptions().MinConfidence, $"confidence {_resolver.Confidence:0.00} after the first batch of the move (was {settled:0.00})");
    }

    [Fact]
    public void A_non_neighbour_must_hold_its_lead_before_the_shopper_jumps_there()
    {
        var graph = new ZoneGraph([("aisle-1", ["aisle-2"]), ("aisle-2", ["aisle-3"])]);
        _resolver = new ZoneResolver(new ZoneResolverOptions(), graph);
        Walk("gw-a", "aisle-1", -60, from: 0, to: 4);

        // A burst leaked from the far aisle (three readings 12 dB stronger): ignored. The zone model
        // weighs how long a lead lasts against how unlikely the jump is, so a lead kept for seconds is followed.
        Walk2("gw-a", "aisle-1", -62, "gw-c", "aisle-3", -50, from: 4, to: 4.5);
        Walk("gw-a", "aisle-1", -60, from: 5, to: 8);
        Assert.Equal([(ProximityEventKind.Entered, "aisle-1")], Changes);

        // The same lead, lasting: followed, but not at once; the move is dated from when the lasting lead
        // began, not from the burst.
        Walk2("gw-a", "aisle-1", -62, "gw-c", "aisle-3", -50, from: 8, to: 8.8);
        Assert.Equal("aisle-1", _resolver.CurrentZoneId);
        Walk2("gw-a", "aisle-1", -62, "gw-c", "aisle-3", -50, from: 8.8, to: 16);
        Assert.Equal("aisle-3", _resolver.CurrentZoneId);
        Assert.True(_events.Last(e => e.Kind == ProximityEventKind.Entered).At >= T0.AddSeconds(8));
    }

    [Fact]
    public void A_store_that_asks_for_a_db_margin_stays_put_until_the_new_zone_leads_by_it()
    {
        var graph = new ZoneGraph([("aisle-1", ["aisle-2"])]);
        _resolver = new ZoneResolver(new ZoneResolverOptions { SwitchMarginDb = 8 }, graph);
        Walk("gw-a", "aisle-1", -60, from: 0, to: 4);

        // A lasting 5 dB lead would move the shopper by probability alone; the store's 8 dB margin holds them.
        Walk2("gw-a", "aisle-1", -60, "gw-b", "aisle-2", -55, from: 4, to: 20);
        Assert.Equal("aisle-1", _resolver.CurrentZoneId);

        Walk2("gw-a", "aisle-1", -66, "gw-b", "aisle-2", -55, from: 20, to: 30);
        Assert.Equal("aisle-2", _resolver.CurrentZoneId);
    }

    [Fact]
    public void Silence_exits_at_the_moment_the_zone_was_last_heard()
    {
        Walk("gw-a", "aisle-1", -60, from: 0, to: 4);
        var lastHeard = T0.AddMilliseconds(3800);

        _resolver.Advance(T0.AddSeconds(12), _events);
        Assert.Equal("aisle-1", _resolver.CurrentZoneId);

        _resolver.Advance(T0.AddSeconds(14), _events);
        var exit = _events.Single(e => e.Kind == ProximityEventKind.Exited);
        Assert.Equal((lastHeard, "aisle-1"), (exit.At, exit.ZoneId));
        Assert.Null(_resolver.CurrentZoneId);
    }

    [Fact]
    public void A_shopper_heard_only_faintly_is_out_of_range_at_once()
    {
        Walk("gw-a", "aisle-1", -60, from: 0, to: 4);

        // As soon as the smoothed level is below the out-of-range level (a few seconds of faint readings).
        Walk("gw-a", "aisle-1", -95, from: 4, to: 9);
        Assert.Null(_resolver.CurrentZoneId);
        Assert.Contains(_events, e => e.Kind == ProximityEventKind.Exited);
    }

    [Fact]
    public void Dwell_ticks_come_every_five_seconds_in_event_time()
    {
        Walk("gw-a", "aisle-1", -60, from: 0, to: 17);
        var entered = _events.First().At;
        var ticks = _events.Where(e => e.Kind == ProximityEventKind.Dwell).ToList();

        // Entered at 0.4 s, last heard at 16.8 s: 16.4 s of dwell.
        Assert.Equal([5, 10, 15], ticks.Select(t => (int)t.Dwell.TotalSeconds));
        Assert.Equal(entered.AddSeconds(5), ticks[0].At);
    }

    [Fact]
    public void A_single_spike_does_not_move_the_shopper()
    {
        Walk2("gw-a", "aisle-1", -60, "gw-b", "aisle-2", -80, from: 0, to: 5);
        See("gw-b", "aisle-2", -40, 5.05);
        See("gw-b", "aisle-2", -80, 5.25);
        Walk2("gw-a", "aisle-1", -60, "gw-b", "aisle-2", -80, from: 5.3, to: 8);
        Assert.Equal([(ProximityEventKind.Entered, "aisle-1")], Changes);
    }

    [Fact]
    public void Late_readings_never_move_event_time_backwards()
    {
        Walk("gw-a", "aisle-1", -60, from: 10, to: 14);
        See("gw-a", "aisle-1", -60, 2);
        Assert.Equal(T0.AddSeconds(13.8), _resolver.LastEventTime!.Value, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_the_parameter_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ZoneResolver(new ZoneResolverOptions { SwitchMargin = -1 }));
        Assert.Equal("SwitchMargin", error.ParamName);
    }

    [Fact]
    public void Calibrated_a_phone_quieter_than_the_walks_device_is_placed_by_the_pattern_its_gateways_read()
    {
        // The walk's device read -60 / -75 in aisle 1 and -70 / -72 between the gateways in aisle 2. A phone
        // 10 dB quieter in aisle 1 reads -70 / -85: aisle 2's levels for gw-a, aisle 1's pattern.
        _resolver = Calibrated(
            ("aisle-1", [("gw-a", -60), ("gw-b", -75)]),
            ("aisle-2", [("gw-a", -70), ("gw-b", -72)]));
        Walk2("gw-a", "aisle-1", -70, "gw-b", "aisle-2", -85, from: 0, to: 10);

        Assert.Equal([(ProximityEventKind.Entered, "aisle-1")], Changes);
    }

    [Fact]
    public void Calibrated_a_far_gateway_the_walk_never_heard_in_a_zone_does_not_veto_it()
    {
        // The walk never heard gw-c in aisle 1: now and then a faint reading of it reaches the phone there.
        _resolver = Calibrated(
            ("aisle-1", [("gw-a", -62), ("gw-b", -70)]),
            ("aisle-2", [("gw-a", -70), ("gw-b", -62), ("gw-c", -72)]),
            ("aisle-3", [("gw-b", -70), ("gw-c", -62)]));
        for (var t = 0.0; t < 20; t += 0.5)
        {
            See("gw-a", "aisle-1", -62, t);
            See("gw-b", "aisle-2", -70, t + 0.1);
            if ((int)t % 4 == 0)
            {
                See("gw-c", "aisle-3", -76, t + 0.2);
            }
        }

        Assert.Equal([(ProximityEventKind.Entered, "aisle-1")], Changes);
    }

    private static ZoneResolver Calibrated(params (string Zone, (string Gateway, double Level)[] Levels)[] zones)
    {
        var graph = new ZoneGraph([("aisle-1", ["aisle-2"]), ("aisle-2", ["aisle-1", "aisle-3"]), ("aisle-3", ["aisle-2"])]);
        var calibration = new Calibration.StoreCalibration(
            new Dictionary<string, double>(),
            [.. zones.Select(z => new Calibration.ZoneFingerprint(z.Zone, z.Levels.ToDictionary(l => l.Gateway, l => l.Level), 100))]);
        return new ZoneResolver(new ZoneResolverOptions(), new ZoneModel(graph, calibration));
    }

    private void See(string gateway, string zone, double rssi, double seconds) =>
        _resolver.Observe(new GatewayReading(gateway, zone, rssi, T0.AddMilliseconds(Math.Round(seconds * 1000))), _events);

    /// <summary>A gateway's batch: its five readings of one second (5 Hz).</summary>
    private void Batch(string gateway, string zone, double rssi, int second)
    {
        for (var k = 0; k < 5; k++)
        {
            See(gateway, zone, rssi, second + (k * 0.2));
        }
    }

    private void Walk(string gateway, string zone, double rssi, double from, double to)
    {
        for (var t = from; t < to - 1e-9; t += 0.2)
        {
            See(gateway, zone, rssi, t);
        }
    }

    private void Walk2(string g1, string z1, double r1, string g2, string z2, double r2, double from, double to)
    {
        for (var t = from; t < to - 1e-9; t += 0.2)
        {
            See(g1, z1, r1, t);
            See(g2, z2, r2, t + 0.1);
        }
    }
}
