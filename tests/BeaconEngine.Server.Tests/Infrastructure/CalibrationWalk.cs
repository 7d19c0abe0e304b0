using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>A calibration walk started through the API, as an installer's phone would see it.</summary>
public sealed record CalibrationWalk(string StoreId, string CalibrationId, string Uuid, int Major, int Minor)
{
    public static async Task<CalibrationWalk> StartAsync(HttpClient admin, string storeId)
    {
        var created = await Scenario.Expect(await admin.PostAsJsonAsync($"/api/v1/stores/{storeId}/calibrations", new { }), HttpStatusCode.Created);
        var ad = created["advertisement"]!;
        return new CalibrationWalk(storeId, created["calibrationId"]!.GetValue<string>(), ad["uuid"]!.GetValue<string>(), ad["major"]!.GetValue<int>(), ad["minor"]!.GetValue<int>());
    }

    public string Path => $"/api/v1/stores/{StoreId}/calibrations/{CalibrationId}";

    public async Task MarkAsync(HttpClient admin, string? zoneId, DateTimeOffset at) =>
        await Scenario.Expect(await admin.PostAsJsonAsync($"{Path}/marks", new { zoneId, at = at.ToUnixTimeMilliseconds() }), HttpStatusCode.OK);

    /// <summary>Sightings of the walk's device in the contract's format, one every half second from <paramref name="from"/>.</summary>
    public object[] Sightings(DateTimeOffset from, int count, double rssi) =>
        [.. Enumerable.Range(0, count).Select(i => (object)new
        {
            ts = from.AddMilliseconds(500 * i).ToUnixTimeMilliseconds(),
            rssi,
            ibeacon = new { uuid = Uuid, major = Major, minor = Minor },
        })];

    public async Task<JsonObject> StatusAsync(HttpClient admin) => await Scenario.Expect(await admin.GetAsync(Path), HttpStatusCode.OK);
}
