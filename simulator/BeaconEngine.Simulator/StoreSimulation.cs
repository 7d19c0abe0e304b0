using System.Diagnostics;
using System.Text.Json;

namespace BeaconEngine.Simulator;

/// <summary>
/// The default run: sets a store up through the public API (one offer per zone), enrols and connects the
/// shoppers, then walks them for the run's length against the engine; then, in the same run and with the
/// same walk, against the bare-transport floor (server route with <c>--diagnostics --baseline</c>) for comparison. Ends with a
/// summary, <c>report.json</c> and <c>latency.svg</c>.
/// </summary>
public sealed class StoreSimulation(SimulationOptions options)
{
    public async Task<int> RunAsync()
    {
        var random = new Random(options.Seed);
        var layout = options.Layout();
        using var api = new EngineApi(options.Url, options.AdminKey!);
        var store = await api.SetUpStoreAsync(layout, options, withOffers: true, random);
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var world = new World(layout, options, random);
        var calibration = options.CalibrationSecondsPerZone > 0 ? await new CalibrationWalk(api, layout, world, options, random).RunAsync(store) : null;
        var uplinksRef = new GatewayUplinksRef();
        await using var apps = new ShopperApps(options.HubTarget, uplinksRef) { EpochMs = epoch };

        Progress.Line($"Store {store.StoreId} ({layout.Name}): {layout.Zones.Count} zones, {layout.Gateways.Count} gateways. Enrolling {options.Shoppers} shoppers...");
        if (options.GatewayTarget != options.Url || options.HubTarget != options.Url)
        {
            Progress.Line($"Gateways post to {options.GatewayTarget}; apps connect to {options.HubTarget}.");
        }

        var enrolments = await api.EnrolManyAsync(store.StoreId, options.Shoppers, parallel: 16);
        store = store with { Phones = new PhoneIdentities(enrolments) };
        var shoppers = enrolments.Select(e => world.Add(e.ShopperId, e.Uuid, e.Major, e.Minor, clock.Elapsed.TotalSeconds)).ToArray();
        await Parallel.ForAsync(0, shoppers.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => await apps.ConnectAsync(shoppers[i], enrolments[i].Token));

        const string BenchmarkRoute = "/api/v1/baseline/sightings";

        // The phones' reports of the store's beacons, when they range them (--sensing phone or both).
        PhoneReports? Phones() => options.PhonesRange
            ? new PhoneReports(store.BeaconUuid!.Value, shoppers.Length, epoch, TimeSpan.FromSeconds(1), apps.ConnectionOf)
            : null;
        async Task WarmUpAsync(string phase, Uri target, string? route)
        {
            if (options.Warmup > TimeSpan.Zero)
            {
                using var warm = new GatewayUplinks(target, layout, store, shoppers.Length, epoch, options.BatchInterval);
                if (route is not null)
                {
                    warm.Route = route;
                }

                uplinksRef.Current = warm;
                var phones = route is null ? Phones() : null;
                uplinksRef.Phones = phones;
                await RunPhaseAsync(phase, world, warm, clock, options.Warmup, () => "not counted", phones, gatewaysHear: route is not null || options.GatewaysHear);
                await Task.Delay(500);
                apps.Reset(floor: route is not null);
            }
        }

        var baseline = options.BaselineDuration > TimeSpan.Zero && options.Identity == PhoneIdentity.Static && await api.HasBaselineAsync(store.GatewayKeys.Values.First());
        if (options.BaselineDuration > TimeSpan.Zero && options.Identity != PhoneIdentity.Static)
        {
            Progress.Line("The bare-transport floor knows static identities only: it is skipped with --identity rotating.");
        }
        else if (options.BaselineDuration > TimeSpan.Zero && !baseline)
        {
            Progress.Line("The server has no bare-transport route (start it with --diagnostics --baseline): the floor is skipped.");
        }

        // The engine, after a warm-up that is not counted.
        await WarmUpAsync("warm-up", options.GatewayTarget, null);
        using var engine = new GatewayUplinks(options.GatewayTarget, layout, store, shoppers.Length, epoch, options.BatchInterval);
        uplinksRef.Current = engine;
        var phones = Phones();
        uplinksRef.Phones = phones;
        var engineStart = clock.Elapsed.TotalSeconds;
        await api.EngineLatencyAsync(reset: true);
        await RunPhaseAsync(
            "engine", world, engine, clock, options.Duration, () => $"coupons {apps.Coupons,7}   latency {apps.EngineLatency.Summary()}", phones, options.GatewaysHear);
        await Task.Delay(1000);
        var engineEnd = clock.Elapsed.TotalSeconds;
        var serverLatency = await api.EngineLatencyAsync(reset: false);
        var precision = apps.Precision();
        Progress.Line("Reading the engine's trails to score zone accuracy...");
        var accuracy = await ZoneAccuracyAsync(api, store, shoppers, epoch, engineStart + 5, engineEnd - 2);

        // The floor, same walk, same apps.
        GatewayUplinks? floor = null;
        if (baseline)
        {
            // The floor posts to the node the apps are on: bare transport, no node in between.
            await WarmUpAsync("warm-up", options.HubTarget, BenchmarkRoute);
            floor = new GatewayUplinks(options.HubTarget, layout, store, shoppers.Length, epoch, options.BatchInterval) { Route = BenchmarkRoute };
            uplinksRef.Current = floor;
            uplinksRef.Phones = null;
            await RunPhaseAsync("floor", world, floor, clock, options.BaselineDuration, () => $"pushes {apps.BaselineMessages,8}   latency {apps.BaselineLatency.Summary()}");
            await Task.Delay(1000);
            floor.Dispose();
        }

        var engineSeconds = options.Duration.TotalSeconds;
        var engineLatency = apps.EngineLatency.Summary();
        var floorLatency = apps.BaselineLatency.Summary();
        var report = new
        {
            date = DateTimeOffset.UtcNow,
            server = options.Url,
            gatewayNode = options.GatewayTarget,
            hubNode = options.HubTarget,
            layout = layout.Name,
            options = new
            {
                options.Shoppers,
                seconds = engineSeconds,
                baselineSeconds = baseline ? options.BaselineDuration.TotalSeconds : 0,
                warmupSeconds = options.Warmup.TotalSeconds,
                hz = options.AdvertisingHz,
                batchMs = options.BatchInterval.TotalMilliseconds,
                noiseDb = options.NoiseDb,
                dropRate = options.DropRate,
                minGapMinutes = options.MinGapMinutes,
                options.Seed,
                sensing = options.Sensing.ToString().ToLowerInvariant(),
                identity = options.Identity.ToString().ToLowerInvariant(),
                rotationSeconds = options.Identity == PhoneIdentity.Rotating ? options.RotationSeconds : (int?)null,
                gatewayBiasDb = options.GatewayBiasDb,
                sensitivity = layout.Sensitivity,
                proximity = options.Proximity,
            },
            gatewayBias = world.GatewayBias.Select(b => Math.Round(b, 1)),
            calibration,
            machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString() },
            engine = new
            {
                identitiesDerived = store.Phones!.Switches,
                periods = store.Phones.Periods,
                sightingsSent = engine.Sent,
                sightingsAccepted = engine.Accepted,
                sightingsRejected = engine.Rejected,
                sightingsDropped = engine.Dropped,
                sightingsPerSecond = Math.Round(engine.Sent / engineSeconds),
                batchErrors = engine.Errors,
                batchRoundTripMs = engine.BatchLatency.Summary(),
                coupons = apps.Coupons,
                couponsPerSecond = Math.Round(apps.Coupons / engineSeconds, 1),
                latencyMs = engineLatency,
                serverLatencyMs = serverLatency,
                ambiguousCoupons = apps.Ambiguous,
                latencyBoundMs = apps.EngineLatencyBound.Summary(),
                zoneAccuracy = accuracy,
                couponPrecision = precision,
                phoneReports = phones is null ? null : new
                {
                    reports = phones.Reports,
                    readingsSent = phones.Sent,
                    readingsAccepted = phones.Accepted,
                    readingsDropped = phones.Dropped,
                    readingsRejected = phones.Rejected,
                    errors = phones.Errors,
                    roundTripMs = phones.RoundTrip.Summary(),
                },
            },
            floor = floor is null ? null : new
            {
                sightingsSent = floor.Sent,
                sightingsPerSecond = Math.Round(floor.Sent / options.BaselineDuration.TotalSeconds),
                batchErrors = floor.Errors,
                pushes = apps.BaselineMessages,
                latencyMs = floorLatency,
            },
            ratio = floor is null || floorLatency.Count == 0 || engineLatency.Count == 0 ? null : new
            {
                p50 = Math.Round(engineLatency.P50 / floorLatency.P50, 2),
                p99 = Math.Round(engineLatency.P99 / floorLatency.P99, 2),
            },
        };

        Directory.CreateDirectory(options.OutputFolder);
        var reportPath = Path.Combine(options.OutputFolder, "report.json");
        var svgPath = Path.Combine(options.OutputFolder, "latency.svg");
        await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report, Reports.Json));
        var series = new List<(string, string, double[])> { ("engine: batch send to coupon at the app", "#d9480f", apps.EngineLatency.Snapshot()) };
        if (floor is not null)
        {
            series.Add(("floor: batch send to bare push at the app", "#1c7ed6", apps.BaselineLatency.Snapshot()));
        }

        await File.WriteAllTextAsync(svgPath, Histogram.Svg($"End-to-end latency, {options.Shoppers} shoppers, {engine.Sent / engineSeconds:0} sightings/s", series));

        Progress.Summary(
            [
                ("Sightings", $"{engine.Sent:N0} sent ({engine.Sent / engineSeconds:N0} /s), {engine.Accepted:N0} accepted, {engine.Dropped:N0} dropped, {engine.Rejected:N0} rejected"),
                ("Sensing", options.Sensing.ToString().ToLowerInvariant()),
                ("Identity", IdentitySummary(options, store.Phones!)),
                ("Phone reports", phones is null ? "none (gateways only)" : $"{phones.Reports:N0} reports of {phones.Sent:N0} readings, {phones.Accepted:N0} accepted, {phones.Errors:N0} errors; round trip {phones.RoundTrip.Summary()}"),
                ("Batch errors", engine.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Batch round trip", engine.BatchLatency.Summary().ToString()),
                ("Coupons", $"{apps.Coupons:N0} ({apps.Coupons / engineSeconds:0.0} /s)"),
                ("Engine latency", engineLatency.ToString()),
                ("Engine's own share", serverLatency is null ? "not reported by this server" : $"p50 {serverLatency["p50"]} ms, p95 {serverLatency["p95"]} ms, p99 {serverLatency["p99"]} ms, p99.9 {serverLatency["p999"]} ms, max {serverLatency["max"]} ms (n = {serverLatency["count"]}): batch arrival to push, on {options.Url}"),
                ("Engine, worst case", $"{apps.EngineLatencyBound.Summary()}: the {apps.Ambiguous:N0} coupons with another batch of the shopper sent up to 20 ms before theirs timed from that one instead"),
                ("Floor latency", floor is null ? "not measured" : floorLatency.ToString()),
                ("Engine / floor", report.ratio is { } r ? $"p50 {r.p50:0.00}x, p99 {r.p99:0.00}x" : "n/a"),
                ("Zone accuracy", $"{accuracy.Share:P1} of {accuracy.Samples:N0} shopper-seconds; {accuracy.SettledShare:P1} of the {accuracy.SettledSamples:N0} at least {ZoneAccuracy.SettleSeconds:0} s after a true change; {accuracy.EngineChanges:N0} zone changes placed for {accuracy.TrueChanges:N0} true ones"),
                ("Zone change delay", accuracy.MedianDelaySeconds is { } delay ? $"median {delay:0.0} s from a true change to the engine placing the shopper there ({accuracy.ChangesFound:N0} of {accuracy.TrueChanges:N0} found)" : "no change found"),
                ("Calibration", calibration is null ? "none (uncalibrated)" : $"{options.CalibrationSecondsPerZone:0} s a zone; the fit's walk right {calibration["accuracyBefore"]!.GetValue<double>():P1} before, {calibration["accuracyAfter"]!.GetValue<double>():P1} after"),
                ("Coupon precision", $"{precision.Share:P1}: {precision.InZone:N0} of {precision.Judged:N0} coupons issued while the shopper was in the offer's zone"),
                ("Report", $"{reportPath}, {svgPath}"),
            ]);
        return engine.Errors == 0 && (floor?.Errors ?? 0) == 0 && (phones?.Errors ?? 0) == 0 ? 0 : 1;
    }

    internal static string IdentitySummary(SimulationOptions options, PhoneIdentities phones) => phones.Rotating
        ? $"rotating, {options.RotationSeconds} s periods: {phones.Switches:N0} identities derived by the phones over {phones.Periods:N0} periods"
        : "static";

    /// <summary>Moves the world every 50 ms and lets the gateways send until the phase ends.</summary>
    internal static async Task RunPhaseAsync(
        string name, World world, GatewayUplinks uplinks, Stopwatch clock, TimeSpan duration, Func<string> status, PhoneReports? phones = null, bool gatewaysHear = true)
    {
        using var stop = new CancellationTokenSource();
        var sending = phones is null ? uplinks.RunAsync(stop.Token) : Task.WhenAll(uplinks.RunAsync(stop.Token), phones.RunAsync(stop.Token));
        Action<int, Advertisement>? heard = gatewaysHear ? uplinks.Hear : null;
        var start = clock.Elapsed;
        var last = clock.Elapsed.TotalSeconds;
        await Progress.RunAsync(name, duration, () => clock.Elapsed - start, () => $"sightings {uplinks.Sent,9:N0}   errors {uplinks.Errors}   {status()}", async () =>
        {
            while (clock.Elapsed - start < duration)
            {
                var now = clock.Elapsed.TotalSeconds;
                world.Advance(now, now - last, heard, phones is null ? null : phones.Ranged);
                last = now;
                await Task.Delay(50);
            }
        });
        await stop.CancelAsync();
        await sending;
    }

    /// <summary>
    /// Share of shopper-seconds in which the engine's trail names the true zone (or no zone when the shopper is out);
    /// and the same share over the seconds at least <see cref="ZoneAccuracy.SettleSeconds"/> after the shopper's
    /// last true change, since the resolver waits for evidence before it moves a shopper.
    /// </summary>
    private static async Task<ZoneAccuracy> ZoneAccuracyAsync(EngineApi api, SimStore store, SimShopper[] shoppers, long epoch, double from, double to)
    {
        long matches = 0, samples = 0, settledMatches = 0, settledSamples = 0, engineChanges = 0, trueChanges = 0;
        var delays = new List<double>();
        await Parallel.ForEachAsync(shoppers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (shopper, _) =>
        {
            var trail = await api.TrailAsync(store.StoreId, shopper.Id);
            long m = 0, n = 0, sm = 0, sn = 0;
            for (var t = Math.Ceiling(from); t < to; t++)
            {
                var at = epoch + (long)(t * 1000);
                var placed = trail.LastOrDefault(e => e.Entered <= at && (e.Exited is null || at < e.Exited)).Zone;
                var truth = shopper.TruthAt(t);
                var right = placed == truth.ZoneId ? 1 : 0;
                m += right;
                n++;
                if (t - truth.At >= ZoneAccuracy.SettleSeconds)
                {
                    sm += right;
                    sn++;
                }
            }

            Interlocked.Add(ref matches, m);
            Interlocked.Add(ref samples, n);
            Interlocked.Add(ref settledMatches, sm);
            Interlocked.Add(ref settledSamples, sn);
            Interlocked.Add(ref engineChanges, trail.Count(e => e.Zone is not null && e.Entered >= epoch + (long)(from * 1000) && e.Entered < epoch + (long)(to * 1000)));
            Interlocked.Add(ref trueChanges, shopper.Truth.Count(e => e.ZoneId is not null && e.At >= from && e.At < to));

            // Each true change: how long until the engine placed the shopper in that zone (before the next change).
            for (var i = 0; i < shopper.Truth.Count; i++)
            {
                var change = shopper.Truth[i];
                if (change.ZoneId is null || change.At < from || change.At >= to)
                {
                    continue;
                }

                var until = i + 1 < shopper.Truth.Count ? shopper.Truth[i + 1].At : to;
                var changedAt = epoch + (long)(change.At * 1000);
                var placed = trail.FirstOrDefault(e => e.Zone == change.ZoneId && (e.Exited is null || e.Exited > changedAt) && e.Entered < epoch + (long)(until * 1000));
                if (placed.Zone is not null)
                {
                    lock (delays)
                    {
                        delays.Add(Math.Max(0, placed.Entered - changedAt) / 1000.0);
                    }
                }
            }
        });
        delays.Sort();
        return new ZoneAccuracy(
            Share(matches, samples), samples, Share(settledMatches, settledSamples), settledSamples, engineChanges, trueChanges)
        {
            MedianDelaySeconds = delays.Count == 0 ? null : Math.Round(delays[delays.Count / 2], 1),
            ChangesFound = delays.Count,
        };

        static double Share(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
    }
}

/// <summary>How often the engine placed shoppers where they truly were.</summary>
public sealed record ZoneAccuracy(double Share, long Samples, double SettledShare, long SettledSamples, long EngineChanges, long TrueChanges)
{
    /// <summary>Seconds after a true change before a sample counts as settled.</summary>
    public const double SettleSeconds = 5;

    /// <summary>Median seconds from a true change to the engine placing the shopper in that zone.</summary>
    public double? MedianDelaySeconds { get; init; }

    /// <summary>True changes the engine followed before the next one.</summary>
    public long ChangesFound { get; init; }
}
