using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MessagePack;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>The store's fixed beacons, registered through the operator's API, and what a phone ranging them reports.</summary>
public sealed class StoreBeacons
{
    private readonly Dictionary<string, (int Major, int Minor)> _identities = [];

    private StoreBeacons(string uuid) => Uuid = uuid;

    /// <summary>The region UUID the store's beacons share.</summary>
    public string Uuid { get; }

    /// <summary>Registers one beacon per aisle of <see cref="Scenario"/>: "bk-dairy" and "bk-snacks".</summary>
    public static async Task<StoreBeacons> RegisterAsync(Scenario store, string? uuid = null)
    {
        var beacons = new StoreBeacons(uuid ?? Guid.NewGuid().ToString("D"));
        await beacons.AddAsync(store, "bk-dairy", "dairy", 1, 1);
        await beacons.AddAsync(store, "bk-snacks", "snacks", 1, 2);
        return beacons;
    }

    public async Task AddAsync(Scenario store, string beaconId, string zoneId, int major, int minor)
    {
        var response = await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/beacons", new
        {
            beaconId,
            zoneId,
            ibeacon = new { uuid = Uuid, major, minor },
            txPower = -59,
        });
        await Scenario.Expect(response, HttpStatusCode.Created);
        _identities[beaconId] = (major, minor);
    }

    /// <summary>What ranging the beacon gives: <paramref name="count"/> readings half a second apart from <paramref name="at"/>.</summary>
    public object[] Ranged(string beaconId, DateTimeOffset at, int count = 3, int rssi = -60)
    {
        var (major, minor) = _identities[beaconId];
        return [.. Enumerable.Range(0, count).Select(i => (object)new
        {
            ts = at.AddMilliseconds(500 * i).ToUnixTimeMilliseconds(),
            rssi,
            ibeacon = new { uuid = Uuid, major, minor },
            accuracy = 0.8,
        })];
    }

    public static async Task<HttpResponseMessage> ReportAsync(EngineHost host, EnrolledShopper shopper, object body)
    {
        using var phone = host.CreateClient(shopper.Token);
        return await phone.PostAsJsonAsync("/api/v1/me/sightings", body);
    }

    public static async Task<JsonObject> ReportAcceptedAsync(EngineHost host, EnrolledShopper shopper, object body) =>
        await Scenario.Expect(await ReportAsync(host, shopper, body), HttpStatusCode.Accepted);

    public static async Task<JsonArray> TrailAsync(Scenario store, EnrolledShopper shopper)
    {
        var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        return trail["transitions"]!.AsArray();
    }
}

/// <summary>The answer to the hub's ReportSightings as an outside client declares it from the contract.</summary>
[MessagePackObject]
public sealed class WireReportReceipt
{
    [Key("accepted")] public int Accepted { get; set; }

    [Key("dropped")] public int Dropped { get; set; }

    [Key("rejected")] public List<WireRejection>? Rejected { get; set; }
}

[MessagePackObject]
public sealed class WireRejection
{
    [Key("index")] public int Index { get; set; }

    [Key("error")] public string? Error { get; set; }
}
