using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BeaconEngine.Gateway.Batching;
using BeaconEngine.Gateway.Queue;
using BeaconEngine.Gateway.Sources;
using BeaconEngine.Gateway.Uplinks;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

namespace BeaconEngine.Gateway.Tests;

/// <summary>
/// The agent's real pipeline (recording source, batcher, disk queue, HTTP or MQTT uplink, heartbeats) in this process,
/// against the real server on a real loopback port, and for MQTT a real mosquitto with users and an ACL.
/// </summary>
public sealed class AgentTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "beaconengine-gateway-tests", Guid.NewGuid().ToString("N"));

    public AgentTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task Through_a_server_outage_every_sighting_arrives_once_in_event_time_order_and_the_queue_drains()
    {
        var port = FreePort();
        var urls = $"http://127.0.0.1:{port}";
        var data = EngineHost.NewDataPath();
        var host = await EngineHost.StartAsync(data, "--urls", urls);
        try
        {
            using var store = await Scenario.CreateAsync(host);
            var shoppers = new[] { await store.EnrolAsync(), await store.EnrolAsync(), await store.EnrolAsync() };

            // 30 s at the dairy gateway, each shopper's phone heard every 500 ms: two shoppers from the start, the third
            // from 15 s on, so it is first heard in what the agent queues while the server is down. Replayed six times
            // faster, with its recorded times.
            var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-60).ToUnixTimeMilliseconds());
            var rows = new List<(DateTimeOffset At, EnrolledShopper Shopper)>();
            for (var ms = 0; ms < 30_000; ms += 500)
            {
                for (var k = 0; k < shoppers.Length; k++)
                {
                    if (k < 2 || ms >= 15_000)
                    {
                        rows.Add((start.AddMilliseconds(ms + (k * 100)), shoppers[k]));
                    }
                }
            }

            var recording = WriteRecording(rows);
            var options = Options(store.StoreId, "gw-dairy", recording, speed: 6);
            options.Uplink.Url = urls;
            options.Uplink.Key = store.GatewayKeys["gw-dairy"];
            await using var uplink = new HttpUplink("gw-dairy", options.Uplink, NullLogger<HttpUplink>.Instance);
            using var queue = new DiskQueue(options.Queue.Path, options.Queue.MaxBatches, options.Queue.MaxBytes);
            var agent = NewAgent(options, uplink, queue);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var running = agent.RunAsync(deadline.Token);

            // Some batches get in, then the server goes down for a stretch while the agent keeps hearing.
            await Eventually.WaitAsync(() => Task.FromResult(agent.Delivered), d => d >= 20, what: "the first batches");
            await host.StopAsync();
            var deliveredBefore = agent.Delivered;
            await Eventually.WaitAsync(() => Task.FromResult(queue.Depth), d => d >= 6, what: "batches to wait in the queue");
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(deliveredBefore, agent.Delivered);
            var waiting = queue.Depth;

            await using var restarted = await EngineHost.StartAsync(data, "--urls", urls);
            await running.WaitAsync(deadline.Token);

            Assert.Equal(rows.Count, agent.Heard);
            Assert.Equal(rows.Count, agent.Delivered);
            Assert.Equal(0, agent.Refused);
            Assert.Equal(0, queue.Depth);
            Assert.Equal(0, queue.DroppedSightings);
            Assert.Empty(Directory.EnumerateFiles(options.Queue.Path, "*.batch"));

            using var admin = restarted.CreateClient(EngineHost.AdminKey);
            var health = await GatewayHealthReader.ReadAsync(admin, store.StoreId, "gw-dairy");
            Assert.Equal(rows.Count, GatewayHealthReader.Count(health, "accepted"));
            Assert.Equal(rows.Count, GatewayHealthReader.Count(health, "sightings"));
            Assert.Equal(0, GatewayHealthReader.Count(health, "rejected") + GatewayHealthReader.Count(health, "dropped"));
            Assert.Equal(0, GatewayHealthReader.Count(health, "outOfOrderBatches"));
            Assert.Equal(0, GatewayHealthReader.Count(health, "queueDepth"));
            Assert.Equal(0, GatewayHealthReader.Count(health, "agentDropped"));
            Assert.Equal("online", health["status"]!.GetValue<string>());
            Assert.True(waiting >= 6, $"only {waiting} batches waited");

            // Each shopper is placed by the third sighting of its first visit, in event time, whenever that arrived.
            var entries = new List<long>[shoppers.Length];
            for (var k = 0; k < shoppers.Length; k++)
            {
                var trail = await Scenario.Expect(
                    await admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shoppers[k].ShopperId}/trail"), HttpStatusCode.OK);
                entries[k] = [.. trail["transitions"]!.AsArray()
                    .Where(t => t!["zoneId"]?.GetValue<string>() == "dairy")
                    .Select(t => DateTimeOffset.Parse(t!["enteredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds())];
            }

            long At(int ms) => start.AddMilliseconds(ms).ToUnixTimeMilliseconds();
            Assert.Equal(At(1_000), entries[0][0]);
            Assert.Equal(At(1_100), entries[1][0]);
            Assert.Equal([At(16_200)], entries[2]);
        }
        finally
        {
            await host.DisposeAsync();
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task A_batch_sent_before_a_crash_but_still_queued_is_sent_again_after_the_restart_and_counted_once()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        var shopper = await store.EnrolAsync();
        var options = Options(store.StoreId, "gw-snacks", recording: null, speed: 0);
        options.Uplink.Url = host.BaseAddress.ToString();
        options.Uplink.Key = store.GatewayKeys["gw-snacks"];
        options.Uplink.Encoding = UplinkEncoding.MessagePack;
        await using var uplink = new HttpUplink("gw-snacks", options.Uplink, NullLogger<HttpUplink>.Instance);

        // The agent queued a batch and sent it; the engine counted it; the agent died before it could dequeue it.
        var at = DateTimeOffset.UtcNow.AddSeconds(-10);
        var sightings = Enumerable.Range(0, 3).Select(i => new GatewaySighting(at.AddMilliseconds(500 * i), -60, Identity(shopper), null)).ToList();
        using (var queue = new DiskQueue(options.Queue.Path, options.Queue.MaxBatches, options.Queue.MaxBytes))
        {
            queue.Enqueue("crash-0001", sightings.Count, BatchEncoder.Json("gw-snacks", "crash-0001", sightings));
            Assert.Equal(SendResult.Delivered, await uplink.SendAsync(queue.TryPeek()!, CancellationToken.None));
        }

        // The agent starts again on the same queue: it sends the batch again, under the same id.
        using (var queue = new DiskQueue(options.Queue.Path, options.Queue.MaxBatches, options.Queue.MaxBytes))
        {
            Assert.Equal("crash-0001", queue.TryPeek()!.BatchId);
            var agent = NewAgent(options, uplink, queue, new StdinSource(new StringReader(""), TimeProvider.System, NullLogger<StdinSource>.Instance));
            await agent.RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            Assert.Equal(0, queue.Depth);
            Assert.Equal(3, agent.Delivered);
        }

        var health = await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-snacks");
        Assert.Equal(1, GatewayHealthReader.Count(health, "batches"));
        Assert.Equal(3, GatewayHealthReader.Count(health, "accepted"));
        Assert.Equal(1, GatewayHealthReader.Count(health, "duplicateBatches"));
        var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        Assert.Equal("snacks", Assert.Single(trail["transitions"]!.AsArray())!["zoneId"]!.GetValue<string>());
    }

    [Fact]
    public async Task What_a_full_queue_dropped_reaches_the_operator_through_the_heartbeat_api_and_metrics()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        var shopper = await store.EnrolAsync();
        var options = Options(store.StoreId, "gw-dairy", recording: null, speed: 0);
        options.Queue.MaxBatches = 3;
        options.Uplink.Url = host.BaseAddress.ToString();
        options.Uplink.Key = store.GatewayKeys["gw-dairy"];

        // While the engine was out of reach, five batches of 4, 5, 6, 7 and 8 sightings came; the queue holds three.
        var at = DateTimeOffset.UtcNow.AddSeconds(-20);
        using var queue = new DiskQueue(options.Queue.Path, options.Queue.MaxBatches, options.Queue.MaxBytes);
        for (var b = 0; b < 5; b++)
        {
            var batch = Enumerable.Range(0, 4 + b).Select(i => new GatewaySighting(at.AddMilliseconds((b * 1000) + (i * 100)), -60, Identity(shopper), null)).ToList();
            queue.Enqueue($"b{b}", batch.Count, BatchEncoder.Json("gw-dairy", $"b{b}", batch));
        }

        await using var uplink = new HttpUplink("gw-dairy", options.Uplink, NullLogger<HttpUplink>.Instance);
        var agent = NewAgent(options, uplink, queue, new StdinSource(new StringReader(""), TimeProvider.System, NullLogger<StdinSource>.Instance));
        await agent.RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        Assert.Equal(6 + 7 + 8, agent.Delivered);
        Assert.Equal(4 + 5, queue.DroppedSightings);
        var health = await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-dairy");
        Assert.Equal(21, GatewayHealthReader.Count(health, "accepted"));
        Assert.Equal(9, GatewayHealthReader.Count(health, "agentDropped"));
        Assert.Equal(0, GatewayHealthReader.Count(health, "queueDepth"));
        Assert.InRange(health["clockSkewMs"]!.GetValue<double>(), -5_000, 5_000);
        Assert.True(DateTimeOffset.UtcNow - health["lastSeenAt"]!.GetValue<DateTimeOffset>() < TimeSpan.FromSeconds(30));

        // The rate counts whole seconds: once the second of the deliveries is over, 21 sightings in the last 10 s.
        var rated = await Eventually.WaitAsync(
            () => GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-dairy"),
            h => h["sightingsPerSecond"]!.GetValue<double>() > 0,
            what: "the sightings rate");
        Assert.Equal(2.1, rated["sightingsPerSecond"]!.GetValue<double>(), 6);

        var metrics = new PrometheusText(await (await store.Admin.GetAsync("/metrics")).Content.ReadAsStringAsync());
        string[] labels = ["store", store.StoreId, "gateway", "gw-dairy"];
        Assert.Equal(9, metrics.Value("beaconengine_gateway_agent_dropped_total", labels));
        Assert.Equal(21, metrics.Value("beaconengine_gateway_sightings_total", labels));
        Assert.Equal(0, metrics.Value("beaconengine_gateway_queue_depth", labels));
        Assert.InRange(metrics.Value("beaconengine_gateway_last_seen_seconds", labels), 0, 60);
        Assert.InRange(metrics.Value("beaconengine_gateway_clock_skew_milliseconds", labels), -5_000, 5_000);
        // The rate covers the last 10 s, so by the time of this read it may have dropped again.
        Assert.InRange(metrics.Value("beaconengine_gateway_sightings_per_second", labels), 0, 2.1);
    }

    [Fact]
    public async Task The_agent_process_runs_from_the_example_config_and_sends_what_it_reads_on_standard_input()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        var shopper = await store.EnrolAsync();

        // The example config as shipped, pointed at this engine and fed from stdin.
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "gateway.example.json")))!;
        config["StoreId"] = store.StoreId;
        config["GatewayId"] = "gw-snacks";
        config["Source"]!["Kind"] = "Stdin";
        config["Uplink"]!["Url"] = host.BaseAddress.ToString();
        config["Uplink"]!["Key"] = store.GatewayKeys["gw-snacks"];
        config["Uplink"]!["Encoding"] = "MessagePack";
        config["Queue"]!["Path"] = Path.Combine(_folder, "queue");
        var configPath = Path.Combine(_folder, "gateway.json");
        File.WriteAllText(configPath, config.ToJsonString());

        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "beaconengine-gateway.dll"), "--config", configPath, "--Batch:MaxDelay=00:00:00.100"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var identity = $$"""
            "ibeacon":{"uuid":"{{shopper.Uuid}}","major":{{shopper.Major}},"minor":{{shopper.Minor}}}
            """.Trim();
        var at = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds();
        await process.StandardInput.WriteLineAsync($$"""{"ts":{{at}},"rssi":-61,{{identity}}}""");
        await process.StandardInput.WriteLineAsync($$"""{"ts":{{at + 500}},"rssi":-60,{{identity}}}""");
        await process.StandardInput.WriteLineAsync("not a sighting");
        await process.StandardInput.WriteLineAsync($$"""{"rssi":-59,{{identity}}}"""); // heard now
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await output} {await errors}");
        Assert.Contains("Input line 3 skipped", await output, StringComparison.Ordinal);

        var health = await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-snacks");
        Assert.Equal(3, GatewayHealthReader.Count(health, "accepted"));
        Assert.Equal(0, GatewayHealthReader.Count(health, "queueDepth"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_folder, "queue"), "*.batch"));
    }

    [Fact]
    public async Task Over_mqtt_the_broker_authenticates_each_gateway_and_lets_it_write_only_its_own_topics()
    {
        const string storeId = "mqtt-auth-store";
        var users = new Dictionary<string, string> { ["engine"] = "engine-secret", ["gw-dairy"] = "dairy-secret", ["gw-snacks"] = "snacks-secret" };
        await using var broker = await MosquittoBroker.StartAsync(users, $"""
            user engine
            topic read beaconengine/#

            user gw-dairy
            topic write beaconengine/{storeId}/gw-dairy/#

            user gw-snacks
            topic write beaconengine/{storeId}/gw-snacks/#
            """);
        await using var host = await EngineHost.StartAsync(null,
            "--BeaconEngine:Mqtt:ConnectionString", broker.Url("engine", "engine-secret"),
            "--BeaconEngine:Mqtt:ClientId", $"engine-{Guid.NewGuid():N}");
        using var store = await Scenario.CreateAsync(host, storeId);
        await Readiness.WaitForMqttAsync(host);
        var shopper = await store.EnrolAsync();

        // Without a user, or with a wrong password, the broker turns a client away.
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await broker.SignInAsync(null, null));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await broker.SignInAsync("gw-dairy", "guess"));
        Assert.Equal(MqttClientConnectResultCode.Success, await broker.SignInAsync("gw-dairy", "dairy-secret"));

        // The agent, as the broker user gw-dairy, replays 20 sightings.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeMilliseconds());
        var rows = Enumerable.Range(0, 20).Select(i => (start.AddMilliseconds(500 * i), shopper)).ToList();
        var options = Options(storeId, "gw-dairy", WriteRecording(rows), speed: 0);
        options.Uplink.Kind = UplinkKind.Mqtt;
        options.Uplink.Mqtt = broker.Url("gw-dairy", "dairy-secret");
        await using (var uplink = new MqttUplink(storeId, "gw-dairy", options.Uplink, NullLogger<MqttUplink>.Instance))
        {
            using var queue = new DiskQueue(options.Queue.Path, options.Queue.MaxBatches, options.Queue.MaxBytes);
            var agent = NewAgent(options, uplink, queue);
            await agent.RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            Assert.Equal(20, agent.Delivered);
            Assert.Equal(0, queue.Depth);
        }

        // An agent whose user may not write its topic keeps its batch queued (the broker answers "not authorized").
        var misconfigured = new UplinkOptions { Kind = UplinkKind.Mqtt, Mqtt = broker.Url("gw-snacks", "snacks-secret") };
        await using (var wrongUser = new MqttUplink(storeId, "gw-dairy", misconfigured, NullLogger<MqttUplink>.Instance))
        {
            var batch = new QueuedBatch(0, "wrong-user", 1, BatchEncoder.Json("gw-dairy", "wrong-user", [new GatewaySighting(start, -60, Identity(shopper), null)]));
            Assert.Equal(SendResult.Retry, await wrongUser.SendAsync(batch, CancellationToken.None));
        }

        // gw-snacks, signed in as itself, tries to speak for gw-dairy: the broker does not pass it on. Its own batch,
        // published after, does arrive; by then the forged one would have too.
        using var snacks = await broker.ConnectAsync("gw-snacks", "snacks-secret");
        var forged = Enumerable.Range(0, 5).Select(i => new GatewaySighting(start.AddSeconds(20 + i), -50, Identity(shopper), null)).ToList();
        await MosquittoBroker.PublishAsync(snacks, $"beaconengine/{storeId}/gw-dairy/sightings", BatchEncoder.Json("gw-dairy", "forged", forged));
        await MosquittoBroker.PublishAsync(snacks, $"beaconengine/{storeId}/gw-snacks/sightings", BatchEncoder.Json("gw-snacks", "own", forged));

        await Eventually.WaitAsync(
            () => GatewayHealthReader.ReadAsync(store.Admin, storeId, "gw-snacks"),
            h => GatewayHealthReader.Count(h, "accepted") == 5,
            what: "gw-snacks' own batch");
        var dairy = await Eventually.WaitAsync(
            () => GatewayHealthReader.ReadAsync(store.Admin, storeId, "gw-dairy"),
            h => GatewayHealthReader.Count(h, "accepted") >= 20,
            what: "the agent's sightings");
        Assert.Equal(20, GatewayHealthReader.Count(dairy, "accepted"));
        Assert.Equal(0, GatewayHealthReader.Count(dairy, "duplicateBatches"));
        Assert.Equal(0, GatewayHealthReader.Count(dairy, "queueDepth"));
        Assert.NotNull(dairy["clockSkewMs"]);
    }

    public void Dispose() => EngineHost.TryDelete(_folder);

    private AgentOptions Options(string storeId, string gatewayId, string? recording, double speed) => new()
    {
        StoreId = storeId,
        GatewayId = gatewayId,
        Source = new SourceOptions { Kind = SourceKind.File, Path = recording, Speed = speed, Clock = ReplayClock.Original, ExitWhenDone = true },
        Batch = new BatchOptions { MaxSize = 8, MaxDelay = TimeSpan.FromMilliseconds(150) },
        Queue = new QueueOptions { Path = Path.Combine(_folder, "queue") },
        Retry = new RetryOptions { Initial = TimeSpan.FromMilliseconds(50), Max = TimeSpan.FromMilliseconds(400) },
        HeartbeatEvery = TimeSpan.FromMilliseconds(250),
    };

    private static Agent NewAgent(AgentOptions options, IUplink uplink, DiskQueue queue, ISightingSource? source = null) =>
        new(options, source ?? new RecordingSource(options.Source, TimeProvider.System, NullLogger<RecordingSource>.Instance),
            uplink, queue, TimeProvider.System, NullLogger<Agent>.Instance);

    private string WriteRecording(IEnumerable<(DateTimeOffset At, EnrolledShopper Shopper)> rows)
    {
        var path = Path.Combine(_folder, "recording.jsonl");
        File.WriteAllLines(path, rows.Select(r => JsonSerializer.Serialize(new
        {
            ts = r.At.ToUnixTimeMilliseconds(),
            rssi = -60,
            ibeacon = new { uuid = r.Shopper.Uuid, major = r.Shopper.Major, minor = r.Shopper.Minor },
        })));
        return path;
    }

    private static Proximity.Advertising.BeaconIdentity Identity(EnrolledShopper shopper) =>
        new(Guid.Parse(shopper.Uuid), (ushort)shopper.Major, (ushort)shopper.Minor);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
