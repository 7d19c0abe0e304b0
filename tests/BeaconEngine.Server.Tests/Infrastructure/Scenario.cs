using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>An enrolled shopper as the app knows it.</summary>
public sealed record EnrolledShopper(string ShopperId, string Token, string Uuid, int Major, int Minor);

/// <summary>
/// A store set up through the public API, as the operator and a brand would: two aisles with a gateway
/// each, one brand, and whatever offers the test creates.
/// </summary>
public sealed class Scenario : IDisposable
{
    private Scenario(EngineHost host, string storeId)
    {
        Host = host;
        StoreId = storeId;
        Admin = host.CreateClient(EngineHost.AdminKey);
    }

    public EngineHost Host { get; }

    public string StoreId { get; }

    public HttpClient Admin { get; }

    public Dictionary<string, string> GatewayKeys { get; } = [];

    public Dictionary<string, HttpClient> Brands { get; } = [];

    public static async Task<Scenario> CreateAsync(EngineHost host, string? storeId = null)
    {
        var scenario = new Scenario(host, storeId ?? $"store-{Guid.NewGuid():N}"[..20]);
        var store = await scenario.Admin.PutAsJsonAsync($"/api/v1/stores/{scenario.StoreId}", new
        {
            name = "Test store",
            timeZone = "Europe/Warsaw",
            zones = new object[]
            {
                new { id = "dairy", name = "Dairy", kind = "aisle", category = "dairy", neighbors = new[] { "snacks" } },
                new { id = "snacks", name = "Snacks", kind = "aisle", category = "snacks", neighbors = new[] { "dairy" } },
            },
        });
        await Expect(store, HttpStatusCode.OK);
        await scenario.RegisterGatewayAsync("gw-dairy", "dairy");
        await scenario.RegisterGatewayAsync("gw-snacks", "snacks");
        await scenario.RegisterBrandAsync("brand-a");
        return scenario;
    }

    /// <summary>The same store, keys and brands, on another server running on the same data (after a restart).</summary>
    public Scenario MovedTo(EngineHost host)
    {
        var moved = new Scenario(host, StoreId);
        foreach (var (id, key) in GatewayKeys)
        {
            moved.GatewayKeys[id] = key;
        }

        foreach (var (id, client) in Brands)
        {
            moved.Brands[id] = host.CreateClient(client.DefaultRequestHeaders.Authorization!.Parameter);
        }

        return moved;
    }

    public async Task<string> RegisterGatewayAsync(string gatewayId, string zoneId)
    {
        var response = await Admin.PostAsJsonAsync($"/api/v1/stores/{StoreId}/gateways", new { gatewayId, zoneId });
        var body = await Expect(response, HttpStatusCode.Created);
        var key = body["key"]!.GetValue<string>();
        GatewayKeys[gatewayId] = key;
        return key;
    }

    public async Task<HttpClient> RegisterBrandAsync(string brandId)
    {
        var uniqueId = $"{brandId}-{StoreId}";
        var response = await Admin.PostAsJsonAsync("/api/v1/brands", new { brandId = uniqueId, name = brandId });
        var body = await Expect(response, HttpStatusCode.Created);
        var client = Host.CreateClient(body["key"]!.GetValue<string>());
        Brands[brandId] = client;
        return client;
    }

    /// <summary>Creates an offer as <paramref name="brandId"/>; <paramref name="extra"/> adds or overrides fields.</summary>
    public async Task<string> CreateOfferAsync(string zoneId, string title = "20% off yoghurt", string brandId = "brand-a", object? extra = null)
    {
        var body = new JsonObject
        {
            ["storeId"] = StoreId,
            ["zoneIds"] = new JsonArray(zoneId),
            ["title"] = title,
            ["description"] = "Any pot",
            ["discount"] = new JsonObject { ["kind"] = "percent", ["value"] = 20 },

            // No control group unless a test asks for one, so a test knows who gets a coupon.
            ["holdoutShare"] = 0,
        };
        if (extra is not null)
        {
            foreach (var (name, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                body[name] = value?.DeepClone();
            }
        }

        var response = await Brands[brandId].PostAsJsonAsync("/api/v1/offers", body);
        var created = await Expect(response, HttpStatusCode.Created);
        return created["offerId"]!.GetValue<string>();
    }

    public async Task<EnrolledShopper> EnrolAsync(bool proximity = true, bool offers = true)
    {
        using var anonymous = Host.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId = StoreId, consent = new { proximity, offers } });
        var body = await Expect(response, HttpStatusCode.Created);
        var ad = body["advertisement"]!;
        return new EnrolledShopper(
            body["shopperId"]!.GetValue<string>(),
            body["token"]!.GetValue<string>(),
            ad["uuid"]!.GetValue<string>(),
            ad["major"]!.GetValue<int>(),
            ad["minor"]!.GetValue<int>());
    }

    /// <summary>Sightings that place the shopper by the contract's rule: 3 at -60 dBm within 3 seconds.</summary>
    public static object[] Approach(EnrolledShopper shopper, DateTimeOffset? at = null, int count = 3, int rssi = -60)
    {
        var start = at ?? DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, count).Select(i => (object)new
        {
            ts = start.AddMilliseconds(500 * i).ToUnixTimeMilliseconds(),
            rssi,
            ibeacon = new { uuid = shopper.Uuid, major = shopper.Major, minor = shopper.Minor },
        })];
    }

    public async Task<JsonObject> PostSightingsAsync(string gatewayId, IEnumerable<object> sightings)
    {
        using var gateway = Host.CreateClient(GatewayKeys[gatewayId]);
        var response = await gateway.PostAsJsonAsync("/api/v1/sightings", new { gatewayId, sightings });
        return await Expect(response, HttpStatusCode.Accepted);
    }

    public void Dispose()
    {
        Admin.Dispose();
        foreach (var brand in Brands.Values)
        {
            brand.Dispose();
        }
    }

    public static async Task<JsonObject> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts a problem+json answer with the status and a detail, and returns the detail.</summary>
    public static async Task<string> ExpectProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        var detail = problem["detail"]?.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(detail), $"problem without detail: {text}");
        Assert.DoesNotContain("   at ", detail, StringComparison.Ordinal);
        return detail!;
    }
}
