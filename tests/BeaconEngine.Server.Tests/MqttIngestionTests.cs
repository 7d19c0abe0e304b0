using System.Net;
using System.Text;
using System.Text.Json;
using BeaconEngine.Server.Tests.Infrastructure;
using MQTTnet;

namespace BeaconEngine.Server.Tests;

/// <summary>A real mosquitto broker and the real server subscribed to it; one store whose gateways publish in each format.</summary>
public sealed class MqttFixture : IAsyncLifetime
{
    public const string StoreId = "mqtt-store";

    public MosquittoBroker Broker { get; private set; } = null!;

    public EngineHost Host { get; private set; } = null!;

    public Scenario Store { get; private set; } = null!;

    public IMqttClient Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartAsync();
        Host = await EngineHost.StartAsync(null,
            "--BeaconEngine:Mqtt:ConnectionString", Broker.Url(),
            "--BeaconEngine:Mqtt:ClientId", $"engine-{Guid.NewGuid():N}",
            // An ESPresense node in the room "dairy-node" and an OpenMQTTGateway named "omg-snacks".
            "--BeaconEngine:Mqtt:Gateways:dairy-node", $"{StoreId}/gw-dairy",
            "--BeaconEngine:Mqtt:Gateways:omg-snacks", $"{StoreId}/gw-snacks");
        Store = await Scenario.CreateAsync(Host, StoreId);
        await Readiness.WaitForMqttAsync(Host);
        Publisher = await Broker.ConnectAsync();
    }

    public async Task<string> Metrics() => await (await Store.Admin.GetAsync("/metrics")).Content.ReadAsStringAsync();

    public async Task DisposeAsync()
    {
        Publisher.Dispose();
        Store.Dispose();
        await Host.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

public sealed class MqttIngestionTests(MqttFixture fixture) : IClassFixture<MqttFixture>
{
    private Scenario Store => fixture.Store;

    [Fact]
    public async Task Native_batches_over_mqtt_place_the_shopper_and_a_redelivered_batch_id_counts_once()
    {
        var shopper = await Store.EnrolAsync();
        var before = await GatewayHealthReader.ReadAsync(Store.Admin, MqttFixture.StoreId, "gw-dairy");
        var batch = JsonSerializer.Serialize(new { batchId = $"b-{Guid.NewGuid():N}", sightings = Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(-5)) });

        await MosquittoBroker.PublishAsync(fixture.Publisher, $"beaconengine/{MqttFixture.StoreId}/gw-dairy/sightings", batch);
        await MosquittoBroker.PublishAsync(fixture.Publisher, $"beaconengine/{MqttFixture.StoreId}/gw-dairy/sightings", batch);
        await MosquittoBroker.PublishAsync(fixture.Publisher, $"beaconengine/{MqttFixture.StoreId}/gw-dairy/heartbeat",
            JsonSerializer.Serialize(new { sentAt = DateTimeOffset.UtcNow.AddSeconds(-2).ToUnixTimeMilliseconds(), queueDepth = 7, dropped = 3 }));

        var health = await Eventually.WaitAsync(
            () => GatewayHealthReader.ReadAsync(Store.Admin, MqttFixture.StoreId, "gw-dairy"),
            h => GatewayHealthReader.Count(h, "queueDepth") == 7,
            what: "the heartbeat");
        Assert.Equal(GatewayHealthReader.Count(before, "accepted") + 3, GatewayHealthReader.Count(health, "accepted"));
        Assert.Equal(GatewayHealthReader.Count(before, "duplicateBatches") + 1, GatewayHealthReader.Count(health, "duplicateBatches"));
        Assert.Equal(3, GatewayHealthReader.Count(health, "agentDropped"));
        Assert.InRange(health["clockSkewMs"]!.GetValue<double>(), 1_000, 60_000);
        await ExpectZone(shopper, "dairy");
    }

    [Fact]
    public async Task Espresense_device_messages_place_the_shopper_in_the_rooms_zone()
    {
        var shopper = await Store.EnrolAsync();
        var id = $"iBeacon:{shopper.Uuid}-{shopper.Major}-{shopper.Minor}";
        foreach (var rssi in new[] { -61.5, -60.2, -59.8 })
        {
            await MosquittoBroker.PublishAsync(fixture.Publisher, $"espresense/devices/{id}/dairy-node",
                $$"""{"mac":"dd8800003777","id":"{{id}}","rssi@1m":-59,"rssi":{{rssi.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"rxAdj":0,"distance":1.2}""");
        }

        await ExpectZone(shopper, "dairy");
    }

    [Fact]
    public async Task OpenMqttGateway_ibeacon_messages_place_the_shopper_in_the_gateways_zone()
    {
        var shopper = await Store.EnrolAsync();
        var uuid = Guid.Parse(shopper.Uuid).ToString("N");
        foreach (var rssi in new[] { -63, -62, -61 })
        {
            await MosquittoBroker.PublishAsync(fixture.Publisher, "home/omg-snacks/BTtoMQTT/58782076BC24",
                $$"""{"id":"58:78:20:76:BC:24","mac_type":1,"rssi":{{rssi}},"brand":"GENERIC","model":"iBeacon","model_id":"IBEACON","mfid":"4c00","uuid":"{{uuid}}","major":{{shopper.Major}},"minor":{{shopper.Minor}},"txpower":-66}""");
        }

        await ExpectZone(shopper, "snacks");
    }

    [Fact]
    public async Task A_calibration_devices_sightings_over_mqtt_serve_its_walk_and_make_no_shopper()
    {
        var walk = await CalibrationWalk.StartAsync(Store.Admin, MqttFixture.StoreId);
        var live = await Scenario.Expect(await Store.Admin.GetAsync($"/api/v1/stores/{MqttFixture.StoreId}/live"), HttpStatusCode.OK);
        var batch = JsonSerializer.Serialize(new { sightings = walk.Sightings(DateTimeOffset.UtcNow.AddSeconds(-5), 6, -58) });
        await MosquittoBroker.PublishAsync(fixture.Publisher, $"beaconengine/{MqttFixture.StoreId}/gw-dairy/sightings", batch);

        // The same device through OpenMQTTGateway's iBeacon messages.
        await MosquittoBroker.PublishAsync(fixture.Publisher, "home/omg-snacks/BTtoMQTT/58782076BC25",
            $$"""{"id":"58:78:20:76:BC:25","rssi":-64,"model_id":"IBEACON","mfid":"4c00","uuid":"{{Guid.Parse(walk.Uuid):N}}","major":{{walk.Major}},"minor":{{walk.Minor}},"txpower":-66}""");

        await Eventually.WaitAsync(() => walk.StatusAsync(Store.Admin), s => s["sightings"]!.GetValue<int>() == 7, what: "the walk to hear its device");
        var after = await Scenario.Expect(await Store.Admin.GetAsync($"/api/v1/stores/{MqttFixture.StoreId}/live"), HttpStatusCode.OK);
        Assert.Equal(live["zones"]!.ToJsonString(), after["zones"]!.ToJsonString());
        await Scenario.Expect(await Store.Admin.DeleteAsync(walk.Path), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Bad_mqtt_messages_are_counted_and_logged_and_the_subscriber_keeps_going()
    {
        var before = Bad(await fixture.Metrics());
        string[] topics =
        [
            "espresense/devices/someone/dairy-node",                     // not JSON
            "espresense/devices/someone/unmapped-room",                  // no such gateway
            "home/omg-snacks/BTtoMQTT/58782076BC24",                     // a JSON array, not an object
            $"beaconengine/{MqttFixture.StoreId}/gw-dairy/sightings",    // not JSON
            $"beaconengine/{MqttFixture.StoreId}/no-such-gateway/sightings",
            $"beaconengine/{MqttFixture.StoreId}/gw-dairy/heartbeat",    // no sentAt
            $"beaconengine/{MqttFixture.StoreId}/nobody/heartbeat",      // no such gateway
        ];
        string[] payloads = ["{not json", """{"rssi":-60}""", "[1,2]", "\u0001\u0002", """{"sightings":[]}""", "{}", """{"sentAt":0}"""];
        for (var i = 0; i < topics.Length; i++)
        {
            await MosquittoBroker.PublishAsync(fixture.Publisher, topics[i], payloads[i]);
        }

        await MosquittoBroker.PublishAsync(fixture.Publisher, "espresense/devices/x/dairy-node", [0xFF, 0xFE, 0x00, 0xC3]);

        // Then a good message still gets through.
        var shopper = await Store.EnrolAsync();
        var batch = JsonSerializer.Serialize(new { sightings = Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(-5)) });
        await MosquittoBroker.PublishAsync(fixture.Publisher, $"beaconengine/{MqttFixture.StoreId}/gw-snacks/sightings", batch);
        await ExpectZone(shopper, "snacks");
        Assert.Equal(before + topics.Length + 1, Bad(await fixture.Metrics()));
    }

    // Summed over its reasons; other tests' hosts publish no MQTT, so the count is this fixture's.
    private static long Bad(string metrics) => (long)new PrometheusText(metrics).Sum("beaconengine_mqtt_bad_messages_total");

    private async Task ExpectZone(EnrolledShopper shopper, string zone)
    {
        var trail = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await Store.Admin.GetAsync($"/api/v1/stores/{MqttFixture.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK),
            t => t["transitions"]!.AsArray().Count > 0,
            what: $"the shopper to be placed in {zone}");
        Assert.Equal(zone, trail["transitions"]!.AsArray()[0]!["zoneId"]!.GetValue<string>());
    }
}
