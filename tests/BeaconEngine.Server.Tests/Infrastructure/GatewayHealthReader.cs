using System.Net;
using System.Text.Json.Nodes;

namespace BeaconEngine.Server.Tests.Infrastructure;

public static class GatewayHealthReader
{
    /// <summary>One gateway's entry of GET /api/v1/stores/{storeId}/gateways.</summary>
    public static async Task<JsonObject> ReadAsync(HttpClient admin, string storeId, string gatewayId)
    {
        var body = await Scenario.Expect(await admin.GetAsync($"/api/v1/stores/{storeId}/gateways"), HttpStatusCode.OK);
        return body["gateways"]!.AsArray().Single(g => g!["gatewayId"]!.GetValue<string>() == gatewayId)!.AsObject();
    }

    public static long Count(JsonObject health, string name) => health[name]?.GetValue<long>() ?? 0;
}
