using System.Net;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>Per-gateway and per-key rate limits answer 429 with Retry-After; the defaults leave a busy store alone.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_gateway_or_key_over_its_limit_gets_429_with_retry_after_and_others_carry_on()
    {
        await using var host = await EngineHost.StartAsync(null,
            "--BeaconEngine:RateLimits:Gateway:PermitsPerSecond", "1", "--BeaconEngine:RateLimits:Gateway:Burst", "5",
            "--BeaconEngine:RateLimits:Key:PermitsPerSecond", "1", "--BeaconEngine:RateLimits:Key:Burst", "10");
        using var store = await Scenario.CreateAsync(host);
        using var noisy = host.CreateClient(store.GatewayKeys["gw-dairy"]);
        using var quiet = host.CreateClient(store.GatewayKeys["gw-snacks"]);

        var throttled = await UntilThrottledAsync(() => noisy.PostAsync("/api/v1/sightings", Json("""{"sightings":[]}""")), 20);
        await Scenario.ExpectProblem(throttled, HttpStatusCode.TooManyRequests);
        Assert.True(throttled.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {throttled.Headers.RetryAfter}");

        // Another gateway of the same store is not held back by its neighbour.
        await Scenario.Expect(await quiet.PostAsync("/api/v1/sightings", Json("""{"sightings":[]}""")), HttpStatusCode.Accepted);

        // A brand's key has its own bucket; another brand's is untouched by it, and the operator is not limited.
        var brand = store.Brands["brand-a"];
        var other = await store.RegisterBrandAsync("brand-b");
        await Scenario.ExpectProblem(await UntilThrottledAsync(() => brand.GetAsync("/api/v1/offers"), 30), HttpStatusCode.TooManyRequests);
        await Scenario.Expect(await other.GetAsync("/api/v1/offers"), HttpStatusCode.OK);
        for (var i = 0; i < 30; i++)
        {
            await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task The_default_limits_let_three_gateways_send_thirty_batches_of_200_sightings_at_once()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        await store.RegisterGatewayAsync("gw-dairy-2", "dairy");
        var shopper = await store.EnrolAsync();
        var started = DateTime.UtcNow;

        // Each gateway: 10 batches of 200 sightings, all at once; 6,000 sightings in all.
        var posts = store.GatewayKeys.Keys.SelectMany(gateway => Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            using var client = host.CreateClient(store.GatewayKeys[gateway]);
            var items = Enumerable.Range(0, 200).Select(i => (object)new
            {
                rssi = -80,
                ibeacon = new { uuid = shopper.Uuid, major = 1 + i, minor = 1 },
            });
            var body = System.Text.Json.JsonSerializer.Serialize(new { sightings = items });
            return await client.PostAsync("/api/v1/sightings", Json(body));
        }))).ToList();
        var answers = await Task.WhenAll(posts);

        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.Accepted, $"{(int)a.StatusCode}: {a.Content.ReadAsStringAsync().Result}"));
        Assert.Equal(30, answers.Length);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    private static async Task<HttpResponseMessage> UntilThrottledAsync(Func<Task<HttpResponseMessage>> send, int atMost)
    {
        for (var i = 0; i < atMost; i++)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            Assert.True(response.IsSuccessStatusCode, $"request {i} failed with {(int)response.StatusCode}");
        }

        throw new Xunit.Sdk.XunitException($"{atMost} requests in a row were never throttled");
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
