using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>Batch ids, MessagePack batches, heartbeats and gateway health over HTTP.</summary>
[Collection(SharedEngineA.Name)]
public sealed class GatewayUplinkTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_retried_batch_id_gets_the_first_answer_again_and_is_counted_once()
    {
        using var store = await Scenario.CreateAsync(Host);
        var shopper = await store.EnrolAsync();
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);
        var body = new { sightings = Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(-5)).Append(new { rssi = "loud" }) };

        var first = await PostAsync(gateway, body, "batch-0001");
        var second = await PostAsync(gateway, body, "batch-0001");
        var third = await PostAsync(gateway, new { batchId = "batch-0001", body.sightings }, null);

        var firstBody = await Scenario.Expect(first, HttpStatusCode.Accepted);
        Assert.Equal(3, firstBody["accepted"]!.GetValue<int>());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        foreach (var retry in new[] { second, third })
        {
            Assert.Equal(firstBody.ToJsonString(), (await Scenario.Expect(retry, HttpStatusCode.Accepted)).ToJsonString());
            Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        }

        var health = await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-dairy");
        Assert.Equal(1, GatewayHealthReader.Count(health, "batches"));
        Assert.Equal(3, GatewayHealthReader.Count(health, "accepted"));
        Assert.Equal(3, GatewayHealthReader.Count(health, "sightings"));
        Assert.Equal(1, GatewayHealthReader.Count(health, "rejected"));
        Assert.Equal(2, GatewayHealthReader.Count(health, "duplicateBatches"));
        Assert.Equal("online", health["status"]!.GetValue<string>());

        // The same id from another gateway is another batch.
        using var other = Host.CreateClient(store.GatewayKeys["gw-snacks"]);
        Assert.Equal(3, (await Scenario.Expect(await PostAsync(other, body, "batch-0001"), HttpStatusCode.Accepted))["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task Malformed_or_contradictory_batch_ids_are_400_problems_and_count_nothing()
    {
        using var store = await Scenario.CreateAsync(Host);
        var shopper = await store.EnrolAsync();
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);
        var sightings = Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(-5));

        await Scenario.ExpectProblem(await PostAsync(gateway, new { batchId = "a", sightings }, "b"), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await PostAsync(gateway, new { batchId = 42, sightings }, null), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await PostAsync(gateway, new { batchId = "has space", sightings }, null), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await PostAsync(gateway, new { sightings }, new string('x', 129)), HttpStatusCode.BadRequest);

        // A batch whose whole payload was refused leaves its id free for the corrected retry.
        await Scenario.ExpectProblem(await PostAsync(gateway, new { batchId = "fix-me", sightings = "nope" }, null), HttpStatusCode.BadRequest);
        Assert.Equal(3, (await Scenario.Expect(await PostAsync(gateway, new { batchId = "fix-me", sightings }, null), HttpStatusCode.Accepted))["accepted"]!.GetValue<int>());

        var health = await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-dairy");
        Assert.Equal(1, GatewayHealthReader.Count(health, "batches"));
        Assert.Equal(0, GatewayHealthReader.Count(health, "duplicateBatches"));
    }

    [Fact]
    public async Task A_messagepack_batch_reads_like_the_json_one()
    {
        using var store = await Scenario.CreateAsync(Host);
        var shopper = await store.EnrolAsync();
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-snacks"]);
        var json = JsonSerializer.Serialize(new { batchId = "mp-1", sightings = Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(-5)) });
        using var content = new ByteArrayContent(MessagePack.MessagePackSerializer.ConvertFromJson(json));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-msgpack");

        var result = await Scenario.Expect(await gateway.PostAsync("/api/v1/sightings", content), HttpStatusCode.Accepted);

        Assert.Equal(3, result["accepted"]!.GetValue<int>());
        using var broken = new ByteArrayContent([0xC1, 0xFF, 0x00]);
        broken.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-msgpack");
        await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings", broken), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Heartbeats_show_in_the_gateways_health_and_in_the_metrics()
    {
        using var store = await Scenario.CreateAsync(Host);
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-snacks"]);
        var sentAt = DateTimeOffset.UtcNow.AddSeconds(-3);

        var answer = await Scenario.Expect(await gateway.PostAsJsonAsync("/api/v1/heartbeats",
            new { sentAt = sentAt.ToUnixTimeMilliseconds(), queueDepth = 12, queueBytes = 4096, dropped = 5, heard = 900, uptimeSeconds = 60, agentVersion = "1.0" }),
            HttpStatusCode.Accepted);
        Assert.InRange(answer["clockSkewMs"]!.GetValue<double>(), 2_900, 60_000);
        await Scenario.ExpectProblem(await gateway.PostAsJsonAsync("/api/v1/heartbeats", new { queueDepth = 1 }), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await gateway.PostAsJsonAsync("/api/v1/heartbeats", new { sentAt = 1, queueDepth = -1 }), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await gateway.PostAsJsonAsync("/api/v1/heartbeats", new { gatewayId = "gw-dairy", sentAt = sentAt.ToUnixTimeMilliseconds() }), HttpStatusCode.Forbidden);

        var health = await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-snacks");
        Assert.Equal(12, GatewayHealthReader.Count(health, "queueDepth"));
        Assert.Equal(5, GatewayHealthReader.Count(health, "agentDropped"));
        Assert.Equal("1.0", health["agentVersion"]!.GetValue<string>());
        Assert.Equal("never", (await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-dairy"))["status"]!.GetValue<string>());

        var metrics = new PrometheusText(await (await store.Admin.GetAsync("/metrics")).Content.ReadAsStringAsync());
        Assert.Equal(12, metrics.Value("beaconengine_gateway_queue_depth", "store", store.StoreId, "gateway", "gw-snacks"));
        Assert.True(metrics.HasFamily("beaconengine_gateway_agent_dropped_total", "counter"), metrics.Text);
        await Scenario.ExpectProblem(await gateway.GetAsync("/metrics"), HttpStatusCode.Forbidden);
        await Scenario.ExpectProblem(await gateway.GetAsync($"/api/v1/stores/{store.StoreId}/gateways"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Batch_ids_are_remembered_across_a_restart()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            EnrolledShopper shopper;
            string storeId, key;
            object body;
            await using (var host = await EngineHost.StartAsync(data))
            {
                using var store = await Scenario.CreateAsync(host);
                (storeId, key) = (store.StoreId, store.GatewayKeys["gw-dairy"]);
                shopper = await store.EnrolAsync();
                body = new { batchId = "before-restart", sightings = Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(-5)) };
                using var gateway = host.CreateClient(key);
                await Scenario.Expect(await PostAsync(gateway, body, null), HttpStatusCode.Accepted);
                await host.StopAsync();
            }

            await using (var host = await EngineHost.StartAsync(data))
            {
                using var gateway = host.CreateClient(key);
                var retry = await PostAsync(gateway, body, null);
                await Scenario.Expect(retry, HttpStatusCode.Accepted);
                Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
                using var admin = host.CreateClient(EngineHost.AdminKey);
                var health = await GatewayHealthReader.ReadAsync(admin, storeId, "gw-dairy");
                Assert.Equal(3, GatewayHealthReader.Count(health, "accepted"));
                Assert.Equal(1, GatewayHealthReader.Count(health, "duplicateBatches"));
            }
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient gateway, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sightings")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return gateway.SendAsync(request);
    }
}
