using System.Globalization;
using System.Reflection;
using BeaconEngine.Proximity.Calibration;
using BeaconEngine.Proximity.Evaluation;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Simulator;

/// <summary>
/// Chooses the zone model's defaults reproducibly (<c>--sweep</c>, no server): every candidate setting is
/// scored on both public Kolakowski 2021 walks (row by row and as the API receives them, uncalibrated and
/// calibrated on the other walk: leave one walk out) and on the simulator's world in process (1 Hz by default, shoppers
/// posted as gateway batches of a second, with coupons judged as the store issues them), uncalibrated and
/// after an in-process calibration walk. No single walk picks a value: the table shows every cell, and the
/// summary column is the mean of the uncalibrated and calibrated accuracies over all of them.
/// Data: M. Kolakowski, Sensors 21, 6270 (2021), doi:10.5281/zenodo.5457591, CC BY 4.0.
/// </summary>
public sealed class ZoneModelSweep(SimulationOptions options, string grid, int shoppers, double seconds, bool positions = true, bool gains = false, bool trail = false, bool outlines = false)
{
    public int Run()
    {
        var folder = SharedData.Folder("kolakowski2021");
        var robot = KolakowskiRecording.Load(folder, "test_robot_df.csv");
        var walk1 = KolakowskiRecording.Load(folder, "calibration_walk1.csv");
        var walked = KolakowskiRecording.Load(folder, "test_walk_df.csv");
        var perTraversal = PathChanges(walked, Path.Combine(folder, "path_reference.csv"));
        var walkedTruth = perTraversal * PersonWalkTraversals;
        var candidates = Candidates(grid).ToList();
        Console.WriteLine($"Zone model sweep, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: {candidates.Count} candidates; simulator in process, {shoppers} shoppers, {seconds:0} s, {options.AdvertisingHz} Hz, sensitivity {options.Layout().Sensitivity} dBm, gateway bias {options.GatewayBiasDb} dB, calibration {CalibrationSeconds:0} s a zone, gateway positions {(positions ? "given" : "not given")}.");
        Console.WriteLine($"Kolakowski 2021 walks (M. Kolakowski, Sensors 21, 6270 (2021), CC BY 4.0). r = row by row, b = batched as the API receives it; x = zone changes / true ones; s = median zone-change delay; person walk = test_walk_df.csv (no per-row positions): zone changes r/b and their ratio to the {walkedTruth} its reference path crosses walked {PersonWalkTraversals} times ({perTraversal} a traversal; --sweep-trail on shows the trail).");
        Console.WriteLine("| setting | robot r | robot b | walk1 r | walk1 b | robot r, cal walk1 | robot b, cal walk1 | walk1 r, cal robot | walk1 b, cal robot | sim | sim cal | coupons (precision) | cal coupons (precision) | person walk changes | mean uncal | mean cal |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, o) in candidates)
        {
            var rr = ZoneReplay.Run(robot, new ZoneResolver(o, ZoneReplay.Model(robot, null, positions)));
            var rb = ZoneReplay.RunBatched(robot, new ZoneResolver(o, ZoneReplay.Model(robot, null, positions)));
            var wr = ZoneReplay.Run(walk1, new ZoneResolver(o, ZoneReplay.Model(walk1, null, positions)));
            var wb = ZoneReplay.RunBatched(walk1, new ZoneResolver(o, ZoneReplay.Model(walk1, null, positions)));
            var pr = Changes(walked, new ZoneResolver(o, ZoneReplay.Model(walked, null, positions)), batched: false);
            var pb = Changes(walked, new ZoneResolver(o, ZoneReplay.Model(walked, null, positions)), batched: true, trail ? name : null);
            var onWalk1 = CalibrationFitter.Fit(ZoneReplay.Geometry(walk1), ZoneReplay.Labelled(walk1), o).Calibration;
            var onRobot = CalibrationFitter.Fit(ZoneReplay.Geometry(robot), ZoneReplay.Labelled(robot), o).Calibration;
            var rrc = ZoneReplay.Run(robot, new ZoneResolver(o, ZoneReplay.Model(robot, onWalk1, positions)));
            var rbc = ZoneReplay.RunBatched(robot, new ZoneResolver(o, ZoneReplay.Model(robot, onWalk1, positions)));
            var wrc = ZoneReplay.Run(walk1, new ZoneResolver(o, ZoneReplay.Model(walk1, onRobot, positions)));
            var wbc = ZoneReplay.RunBatched(walk1, new ZoneResolver(o, ZoneReplay.Model(walk1, onRobot, positions)));
            var sim = Simulate(o, calibrate: false);
            var simCal = Simulate(o, calibrate: true);
            var uncal = new[] { rr.Accuracy, rb.Accuracy, wr.Accuracy, wb.Accuracy, sim.Accuracy }.Average();
            var cal = new[] { rrc.Accuracy, rbc.Accuracy, wrc.Accuracy, wbc.Accuracy, simCal.Accuracy }.Average();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Cell(rr)} | {Cell(rb)} | {Cell(wr)} | {Cell(wb)} | {Cell(rrc)} | {Cell(rbc)} | {Cell(wrc)} | {Cell(wbc)} | {sim.Accuracy:P1} {sim.ChangeRatio:0.00}x {sim.MedianDelaySeconds:0.0}s | {simCal.Accuracy:P1} {simCal.ChangeRatio:0.00}x {simCal.MedianDelaySeconds:0.0}s | {sim.Coupons} ({sim.Precision:P1}) | {simCal.Coupons} ({simCal.Precision:P1}) | {pr} / {pb} ({(double)pr / walkedTruth:0.0}x / {(double)pb / walkedTruth:0.0}x) | {uncal:P1} | {cal:P1} |"));
            if (simCal.Fit is { } report)
            {
                Progress.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: the simulator's calibration fit reports {report.AccuracyBefore:P1} before, {report.AccuracyAfter:P1} after on its own walk ({report.Moments} moments, cross-validated); corrections {string.Join(" ", report.GatewayCorrections.Select(p => $"{p.Key} {p.Value:0.0}"))}."));
            }

            if (gains)
            {
                // Unlabelled per-gateway gains against the path-loss prior, from the other walk's traffic and from the walk's own.
                var fromWalk1 = Gains(walk1, o);
                var fromRobot = Gains(robot, o);
                var fromWalked = Gains(walked, o);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|   gains from walk1 {Show(fromWalk1)}, robot {Show(fromRobot)}, person walk {Show(fromWalked)} |"));
                foreach (var (label, onRobot2, onWalk12) in new[] { ("other walk", fromWalk1, fromRobot), ("own walk", fromRobot, fromWalk1), ("person walk", fromWalked, fromWalked) })
                {
                    var robotModel = ZoneReplay.Model(robot, new StoreCalibration(onRobot2.ToDictionary(p => p.Key, p => -p.Value), []), positions);
                    var walk1Model = ZoneReplay.Model(walk1, new StoreCalibration(onWalk12.ToDictionary(p => p.Key, p => -p.Value), []), positions);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"|   + gains ({label}) | {Cell(ZoneReplay.Run(robot, new ZoneResolver(o, robotModel)))} | {Cell(ZoneReplay.RunBatched(robot, new ZoneResolver(o, robotModel)))} | {Cell(ZoneReplay.Run(walk1, new ZoneResolver(o, walk1Model)))} | {Cell(ZoneReplay.RunBatched(walk1, new ZoneResolver(o, walk1Model)))} |"));
                }
            }
        }

        return 0;
    }

    private static IReadOnlyDictionary<string, double> Gains(KolakowskiRecording recording, ZoneResolverOptions o) =>
        GatewayGainEstimate.Estimate(ZoneReplay.Geometry(recording), o, recording.Rows.Select(r => (IReadOnlyList<(string, double)>)[.. ZoneReplay.Readings(recording, r).Select(x => (x.GatewayId, x.Rssi))]));

    private static string Show(IReadOnlyDictionary<string, double> gains) => string.Join(" ", gains.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:+0.0;-0.0}")));

    /// <summary>
    /// The zone changes a resolver makes on a recording without per-row positions (the person's walk), row by row or
    /// batched as the API receives it: the walk follows its reference path once, so more changes than the path
    /// crosses are flaps.
    /// </summary>
    private static int Changes(KolakowskiRecording recording, ZoneResolver resolver, bool batched, string? trail = null)
    {
        var events = new List<ProximityEvent>();
        var start = recording.Rows[0].At;
        foreach (var second in recording.Rows.GroupBy(r => batched ? (long)Math.Floor((r.At - start).TotalSeconds) : r.At.UtcTicks))
        {
            for (var anchor = 0; anchor < recording.Anchors.Count; anchor++)
            {
                foreach (var row in second)
                {
                    if (row.Rssi[anchor] is { } rssi)
                    {
                        var id = recording.Anchors[anchor].Id;
                        resolver.Observe(new GatewayReading(ZoneReplay.GatewayId(id), ZoneReplay.ZoneId(id), rssi, row.At), events);
                    }
                }

                if (batched)
                {
                    resolver.Settle(events);
                }
            }

            resolver.Settle(events);
        }

        if (trail is not null)
        {
            // --sweep-trail on: the zones the walk was placed in, with the second each stay began.
            Console.WriteLine($"|   person walk trail ({trail}): " + string.Join(" ", events.Where(e => e.Kind == ProximityEventKind.Entered)
                .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.ZoneId}@{(e.At - start).TotalSeconds:0}"))));
        }

        return Math.Max(0, events.Count(e => e.Kind == ProximityEventKind.Entered) - 1);
    }

    /// <summary>How many times the reference path (segments x0,y0,x1,y1, walked in order) crosses from one receiver's zone to another's.</summary>
    private static int PathChanges(KolakowskiRecording recording, string pathFile)
    {
        var zones = new List<int>();
        foreach (var line in File.ReadLines(pathFile).Skip(1).Where(l => l.Trim().Length > 0))
        {
            var v = line.Split(',').Select(c => double.Parse(c.Trim(), CultureInfo.InvariantCulture)).ToArray();
            for (var t = 0.0; t <= 1; t += 0.01)
            {
                var zone = recording.Nearest(v[0] + ((v[2] - v[0]) * t), v[1] + ((v[3] - v[1]) * t)).Id;
                if (zones.Count == 0 || zones[^1] != zone)
                {
                    zones.Add(zone);
                }
            }
        }

        return zones.Count - 1;
    }

    /// <summary>
    /// How many times the person walk (test_walk_df.csv) follows its reference path: out and back four times. It has
    /// no per-row positions, but the strongest receiver (smoothed, alpha 0.02 to 0.1 a row) runs through the path's
    /// zones 2, 3, 5, 3, 4, 6 and back through 4, 1, 3 to 2 every 70 to 75 s, ending in zone 2 where it began
    /// (benchmarks/RESULTS.md, 2026-12-04 afternoon). Earlier figures counted one traversal, so its ~40 changes read as flaps.
    /// </summary>
    private const int PersonWalkTraversals = 8;

    private double CalibrationSeconds => options.CalibrationSecondsPerZone > 0 ? options.CalibrationSecondsPerZone : 60;

    private static string Cell(ReplayResult r) => string.Create(CultureInfo.InvariantCulture, $"{r.Accuracy:P1} {(double)r.EngineChanges / r.TrueChanges:0.0}x");

    /// <summary>
    /// The grid: <c>name=v1|v2;name2=v3|v4</c> over <see cref="ZoneResolverOptions"/> properties (a TimeSpan
    /// property takes seconds, and its name may carry a <c>Seconds</c> suffix), every combination.
    /// </summary>
    public static IEnumerable<(string Name, ZoneResolverOptions Options)> Candidates(string grid)
    {
        IEnumerable<(string, ZoneResolverOptions)> all = [("defaults", new ZoneResolverOptions())];
        foreach (var axis in grid.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(a => a.Contains('=', StringComparison.Ordinal)))
        {
            var parts = axis.Split('=', 2);
            var property = Property(parts[0]);
            var values = parts[1].Split('|', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var previous = all.ToList();
            all = [.. previous.SelectMany(c => values.Select(v => (Name(c.Item1, parts[0], v), With(c.Item2, property, v))))];
        }

        return all;

        static string Name(string previous, string name, double value) =>
            (previous == "defaults" ? string.Empty : previous + ", ") + string.Create(CultureInfo.InvariantCulture, $"{name} {value}");
    }

    private static PropertyInfo Property(string name) =>
        typeof(ZoneResolverOptions).GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
        ?? (name.EndsWith("Seconds", StringComparison.OrdinalIgnoreCase)
            ? typeof(ZoneResolverOptions).GetProperty(name[..^"Seconds".Length], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
            : null)
        ?? throw new ArgumentException($"--sweep: the zone model has no setting '{name}'");

    private static ZoneResolverOptions With(ZoneResolverOptions options, PropertyInfo property, double value)
    {
        var copy = options with { };
        object boxed = property.PropertyType == typeof(TimeSpan) ? TimeSpan.FromSeconds(value)
            : property.PropertyType == typeof(int) ? (int)value
            : property.PropertyType.IsEnum ? Enum.ToObject(property.PropertyType, (int)value)
            : value;
        property.SetValue(copy, boxed);
        copy.Validate();
        return copy;
    }

    /// <summary>
    /// The simulator's world in process, on simulated time: shoppers walk as in a run; each gateway sends what
    /// it heard as one batch a second (gateways spread over the second, as <see cref="GatewayUplinks"/> sends
    /// them); each shopper's resolver takes a batch's readings and settles, as the shopper's grain does; coupons
    /// follow the simulated store's offers (one per zone, 3 s of dwell, 15 s between coupons to a shopper, only
    /// while the zone is at least minConfidence probable) and are judged against where the shopper truly is at
    /// the moment of the batch. Accuracy: the trail at each shopper-second after a 15 s warm-up.
    /// </summary>
    private SimScore Simulate(ZoneResolverOptions o, bool calibrate)
    {
        var random = new Random(options.Seed);
        var layout = options.Layout();
        var world = new World(layout, options, random);
        var geometry = new StoreGeometry(
            [.. layout.Zones.Select(z => new ZoneShape(z.Id, z.Neighbors, outlines
                ? [new StorePoint(z.X, z.Y), new StorePoint(z.X + z.Width, z.Y), new StorePoint(z.X + z.Width, z.Y + z.Height), new StorePoint(z.X, z.Y + z.Height)]
                : null))],
            [.. layout.Gateways.Select(g => new GatewayPlacement(g.Id, g.ZoneId, new StorePoint(g.X, g.Y)))]);
        var graph = new ZoneGraph(layout.Zones.Select(z => (z.Id, (IEnumerable<string>)z.Neighbors)));
        var fit = calibrate ? CalibrationFitter.Fit(geometry, CalibrationReadings(layout, new World(layout, options, new Random(options.Seed + 2)), new Random(options.Seed + 3)), o) : null;
        var model = new ZoneModel(graph, fit?.Calibration, positions ? geometry : null);
        var epoch = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var shoppersInStore = Enumerable.Range(0, shoppers).Select(i => world.Add($"s{i}", Guid.Empty, 1, i, 0)).ToArray();
        var resolvers = shoppersInStore.Select(_ => new ZoneResolver(o, model)).ToArray();
        var trails = shoppersInStore.Select(_ => new List<ProximityEvent>()).ToArray();
        var lastCoupon = new double[shoppers];
        Array.Fill(lastCoupon, double.NegativeInfinity);
        var buffers = layout.Gateways.Select(_ => new List<Advertisement>()).ToArray();
        var nextFlush = layout.Gateways.Select((_, g) => (double)g / layout.Gateways.Count).ToArray();
        var events = new List<ProximityEvent>();
        const double Warmup = 15;
        long coupons = 0, couponsRight = 0;
        const double Step = 0.05;
        for (var now = 0.0; now < seconds; now += Step)
        {
            world.Advance(now, Step, (g, ad) => buffers[g].Add(ad));
            for (var g = 0; g < buffers.Length; g++)
            {
                if (now < nextFlush[g])
                {
                    continue;
                }

                nextFlush[g] += 1;
                foreach (var group in buffers[g].GroupBy(a => a.Shopper.Index))
                {
                    var s = group.Key;
                    events.Clear();
                    foreach (var ad in group)
                    {
                        resolvers[s].Observe(new GatewayReading(layout.Gateways[g].Id, layout.Gateways[g].ZoneId, ad.Rssi, epoch.AddSeconds(ad.At)), events);
                    }

                    resolvers[s].Settle(events);
                    trails[s].AddRange(events);
                    if (now >= Warmup && Coupon(resolvers[s], o.MinConfidence, now, ref lastCoupon[s]) is { } zone)
                    {
                        coupons++;
                        couponsRight += shoppersInStore[s].ZoneAt(now) == zone ? 1 : 0;
                    }
                }

                buffers[g].Clear();
            }

            // The grain's quiet timer: a shopper no gateway hears any more is let go on event time.
            if (Math.Floor(now) != Math.Floor(now + Step))
            {
                for (var s = 0; s < shoppers; s++)
                {
                    if (resolvers[s].CurrentZoneId is not null && resolvers[s].LastEventTime is { } last && epoch.AddSeconds(now) - last > o.ExitTimeout)
                    {
                        events.Clear();
                        resolvers[s].Advance(epoch.AddSeconds(now), events);
                        trails[s].AddRange(events);
                    }
                }
            }
        }

        long right = 0, samples = 0, placed = 0, truthChanges = 0;
        var delays = new List<double>();
        for (var s = 0; s < shoppers; s++)
        {
            var timeline = trails[s].Where(e => e.Kind != ProximityEventKind.Dwell).OrderBy(e => e.At).ToList();
            string? current = null;
            var next = 0;
            for (var t = 0.0; t < seconds - 3; t += 1)
            {
                while (next < timeline.Count && timeline[next].At <= epoch.AddSeconds(t))
                {
                    current = timeline[next].Kind == ProximityEventKind.Entered ? timeline[next].ZoneId : null;
                    next++;
                }

                if (t >= Warmup)
                {
                    samples++;
                    right += current == shoppersInStore[s].ZoneAt(t) ? 1 : 0;
                }
            }

            placed += timeline.Count(e => e.Kind == ProximityEventKind.Entered && e.At >= epoch.AddSeconds(Warmup) && e.At < epoch.AddSeconds(seconds - 3));
            truthChanges += shoppersInStore[s].Truth.Count(e => e.ZoneId is not null && e.At >= Warmup && e.At < seconds - 3);
            delays.AddRange(Delays(shoppersInStore[s].Truth, timeline, epoch, Warmup, seconds - 3));
        }

        delays.Sort();
        return new SimScore((double)right / samples, (double)placed / Math.Max(1, truthChanges), coupons, coupons == 0 ? 0 : (double)couponsRight / coupons, delays.Count == 0 ? double.NaN : delays[delays.Count / 2], fit?.Report);
    }

    /// <summary>
    /// Each true change in [from, to): seconds until the trail placed the shopper in that zone (a stay there that had not
    /// ended by the change and began before the next change), as the server run's report measures it.
    /// </summary>
    private static IEnumerable<double> Delays(List<TruthEntry> truth, List<ProximityEvent> timeline, DateTimeOffset epoch, double from, double to)
    {
        for (var i = 0; i < truth.Count; i++)
        {
            var change = truth[i];
            if (change.ZoneId is null || change.At < from || change.At >= to)
            {
                continue;
            }

            var changedAt = epoch.AddSeconds(change.At);
            var until = epoch.AddSeconds(i + 1 < truth.Count ? truth[i + 1].At : to);
            for (var e = 0; e < timeline.Count; e++)
            {
                var ends = e + 1 < timeline.Count ? timeline[e + 1].At : DateTimeOffset.MaxValue;
                if (timeline[e].Kind == ProximityEventKind.Entered && timeline[e].ZoneId == change.ZoneId && ends > changedAt && timeline[e].At < until)
                {
                    yield return Math.Max(0, (timeline[e].At - changedAt).TotalSeconds);
                    break;
                }
            }
        }
    }

    /// <summary>The store's decision after a batch, as <c>CouponIssuer</c> makes it for the simulated store's offers.</summary>
    private static string? Coupon(ZoneResolver resolver, double minConfidence, double now, ref double lastCoupon)
    {
        if (now - lastCoupon < 15 || resolver.LastEventTime is not { } at)
        {
            return null;
        }

        // Entries do not fire the simulated offers (3 s of dwell); a stay does once it is long and probable enough.
        if (resolver is { CurrentZoneId: { } zone, EnteredAt: { } entered } && resolver.Confidence >= minConfidence && at - entered >= TimeSpan.FromSeconds(3))
        {
            lastCoupon = now;
            return zone;
        }

        return null;
    }

    /// <summary>An installer's calibration walk in the simulated world, as <see cref="CalibrationWalk"/> sends it, labelled by its marks.</summary>
    private List<LabelledReading> CalibrationReadings(StoreLayout layout, World world, Random random)
    {
        var readings = new List<LabelledReading>();
        var start = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var t = 0.0;
        foreach (var zone in CalibrationWalk.WalkOrder(layout))
        {
            double x = 0, y = 0, movedAt = double.NegativeInfinity;
            for (var end = t + CalibrationSeconds; t < end; t += 0.9 + (0.2 * random.NextDouble()))
            {
                if (t - movedAt >= 3)
                {
                    x = zone.X + (zone.Width * (0.1 + (0.8 * random.NextDouble())));
                    y = zone.Y + (zone.Height * (0.1 + (0.8 * random.NextDouble())));
                    movedAt = t;
                }

                for (var g = 0; g < layout.Gateways.Count; g++)
                {
                    if (world.Hear(g, x, y) is { } rssi)
                    {
                        readings.Add(new LabelledReading(layout.Gateways[g].Id, rssi, start.AddSeconds(t), zone.Id));
                    }
                }
            }
        }

        return readings;
    }

    private readonly record struct SimScore(double Accuracy, double ChangeRatio, long Coupons, double Precision, double MedianDelaySeconds, CalibrationReport? Fit);
}
