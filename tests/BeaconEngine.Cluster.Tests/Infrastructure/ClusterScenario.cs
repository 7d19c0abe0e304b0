using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BeaconEngine.Cluster.Tests.Infrastructure;

/// <summary>An enrolled shopper as the app knows it.</summary>
public sealed record EnrolledShopper(string ShopperId, string Token, string Uuid, int Major, int Minor);

/// <summary>
/// A store set up through the public API of one node: two aisles with a gateway each and one brand.
/// Every call names the node it goes to, as gateways, phones and brands may use any node.
/// </summary>
public sealed class ClusterScenario
{
    private ClusterScenario(string storeId) => StoreId = storeId;

    public string StoreId { get; }

    public Dictionary<string, string> GatewayKeys { get; } = [];

    public string BrandKey { get; private set; } = "";

    public static async Task<ClusterScenario> CreateAsync(NodeProcess node)
    {
        var scenario = new ClusterScenario($"store-{Guid.NewGuid():N}"[..20]);
        using var admin = node.CreateClient(NodeProcess.AdminKey);
        await Expect(await admin.PutAsJsonAsync($"/api/v1/stores/{scenario.StoreId}", new
        {
            name = "Cluster test store",
            timeZone = "Europe/Warsaw",
            zones = new object[]
            {
                new { id = "dairy", name = "Dairy", kind = "aisle", category = "dairy", neighbors = new[] { "snacks" } },
                new { id = "snacks", name = "Snacks", kind = "aisle", category = "snacks", neighbors = new[] { "dairy" } },
            },
        }), HttpStatusCode.OK);
        await scenario.RegisterGatewayAsync(node, "gw-dairy", "dairy");
        await scenario.RegisterGatewayAsync(node, "gw-snacks", "snacks");
        var brand = await Expect(await admin.PostAsJsonAsync("/api/v1/brands", new { brandId = $"brand-{scenario.StoreId}", name = "Brand" }), HttpStatusCode.Created);
        scenario.BrandKey = brand["key"]!.GetValue<string>();
        return scenario;
    }

    public async Task<string> RegisterGatewayAsync(NodeProcess node, string gatewayId, string zoneId)
    {
        using var admin = node.CreateClient(NodeProcess.AdminKey);
        var body = await Expect(await admin.PostAsJsonAsync($"/api/v1/stores/{StoreId}/gateways", new { gatewayId, zoneId }), HttpStatusCode.Created);
        return GatewayKeys[gatewayId] = body["key"]!.GetValue<string>();
    }

    public async Task<string> CreateOfferAsync(NodeProcess node, string zoneId, int? budget = null)
    {
        using var brand = node.CreateClient(BrandKey);
        var body = new JsonObject
        {
            ["storeId"] = StoreId,
            ["zoneIds"] = new JsonArray(zoneId),
            ["title"] = $"20% off in {zoneId}",
            ["discount"] = new JsonObject { ["kind"] = "percent", ["value"] = 20 },
            ["holdoutShare"] = 0,
        };
        if (budget is { } max)
        {
            body["budget"] = new JsonObject { ["maxCoupons"] = max };
        }

        var created = await Expect(await brand.PostAsJsonAsync("/api/v1/offers", body), HttpStatusCode.Created);
        return created["offerId"]!.GetValue<string>();
    }

    public async Task<JsonObject> OfferStatsAsync(NodeProcess node, string offerId)
    {
        using var brand = node.CreateClient(BrandKey);
        return await Expect(await brand.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
    }

    public async Task<EnrolledShopper> EnrolAsync(NodeProcess node)
    {
        using var anonymous = node.CreateClient();
        var body = await Expect(
            await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId = StoreId, consent = new { proximity = true, offers = true } }),
            HttpStatusCode.Created);
        var ad = body["advertisement"]!;
        return new EnrolledShopper(
            body["shopperId"]!.GetValue<string>(),
            body["token"]!.GetValue<string>(),
            ad["uuid"]!.GetValue<string>(),
            ad["major"]!.GetValue<int>(),
            ad["minor"]!.GetValue<int>());
    }

    /// <summary>Sightings that place the shopper by the contract's rule: 3 at -60 dBm within 3 seconds.</summary>
    public static IEnumerable<object> Approach(EnrolledShopper shopper, DateTimeOffset? at = null)
    {
        var start = at ?? DateTimeOffset.UtcNow;
        return Enumerable.Range(0, 3).Select(i => (object)new
        {
            ts = start.AddMilliseconds(500 * i).ToUnixTimeMilliseconds(),
            rssi = -60,
            ibeacon = new { uuid = shopper.Uuid, major = shopper.Major, minor = shopper.Minor },
        });
    }

    public async Task<HttpResponseMessage> TryPostSightingsAsync(NodeProcess node, string gatewayId, IEnumerable<object> sightings)
    {
        using var gateway = node.CreateClient(GatewayKeys[gatewayId]);
        return await gateway.PostAsJsonAsync("/api/v1/sightings", new { gatewayId, sightings });
    }

    public async Task<JsonObject> PostSightingsAsync(NodeProcess node, string gatewayId, IEnumerable<object> sightings) =>
        await Expect(await TryPostSightingsAsync(node, gatewayId, sightings), HttpStatusCode.Accepted);

    public static async Task<JsonArray> WalletAsync(NodeProcess node, EnrolledShopper shopper)
    {
        using var client = node.CreateClient(shopper.Token);
        return (await Expect(await client.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
    }

    public async Task<JsonArray> TrailAsync(NodeProcess node, EnrolledShopper shopper)
    {
        using var admin = node.CreateClient(NodeProcess.AdminKey);
        return (await Expect(await admin.GetAsync($"/api/v1/stores/{StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK))["transitions"]!.AsArray();
    }

    public static async Task<JsonObject> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
            return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
        }
    }
}
