using System.Globalization;
using System.Net;
using System.Text;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>Vendor gateways post in their own formats beside the native route; the same checks and counts apply.</summary>
[Collection(SharedEngineB.Name)]
public sealed class VendorUplinkTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_minew_json_long_upload_places_the_shopper_and_rejects_its_broken_item()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        var uuid = Guid.Parse(shopper.Uuid).ToString("N").ToUpperInvariant();
        var now = DateTimeOffset.UtcNow.AddSeconds(-3);
        string Item(int i) => $$"""{"timestamp":"{{Iso(now.AddMilliseconds(400 * i))}}","type":"iBeacon","mac":"AC233F8C7CE{{i}}","ibeaconUuid":"{{uuid}}","ibeaconMajor":{{shopper.Major}},"ibeaconMinor":{{shopper.Minor}},"rssi":-58,"ibeaconTxPower":-59}""";
        var body = $$"""
            [
              {"timestamp":"{{Iso(now)}}","type":"Gateway","mac":"AC233FC0BC43","gatewayFree":23,"gatewayLoad":1.34},
              {{Item(0)}},
              {"timestamp":"{{Iso(now)}}","type":"iBeacon","mac":"AC233F8C7C00","ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":7,"ibeaconMinor":7,"rssi":-50},
              {{Item(1)}},
              {"timestamp":"{{Iso(now)}}","type":"Unknown","mac":"C9F028FD8948","rssi":"loud"},
              {{Item(2)}}
            ]
            """;

        // Many gateways cannot set headers: the key may come as a query parameter on the vendor routes.
        using var anonymous = Host.CreateClient();
        var response = await anonymous.PostAsync($"/api/v1/sightings/minew?access_token={Uri.EscapeDataString(store.GatewayKeys["gw-dairy"])}",
            new StringContent(body, Encoding.UTF8, "application/json"));
        var result = await Scenario.Expect(response, HttpStatusCode.Accepted);

        Assert.Equal(3, result["accepted"]!.GetValue<int>());
        Assert.Equal(1, result["dropped"]!.GetValue<int>());
        var rejected = Assert.Single(result["rejected"]!.AsArray())!;
        Assert.Equal(4, rejected["index"]!.GetValue<int>());
        Assert.Contains("rssi", rejected["error"]!.GetValue<string>(), StringComparison.Ordinal);

        using var me = Host.CreateClient(shopper.Token);
        var wallet = await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Equal("dairy", Assert.Single(wallet["coupons"]!.AsArray())!["zoneId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ingics_report_lines_place_the_shopper_and_a_broken_line_is_rejected_by_number()
    {
        using var store = await Scenario.CreateAsync(Host);
        var shopper = await store.EnrolAsync();
        var frame = $"0201061AFF4C000215{Guid.Parse(shopper.Uuid):N}{shopper.Major:X4}{shopper.Minor:X4}C5".ToUpperInvariant();
        var t = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeSeconds();
        var body = string.Join("\r\n",
            $"$GPRP,0C61CFC1452E,E7DAE08E6FC3,-55,{frame},{t}",
            $"$GPRP,0C61CFC1452E,E7DAE08E6FC3,-57,{frame},{t + 1}",
            "$GPRP,0C61CFC1452E,E7DAE08E6FC3,-57,NOTHEX",
            $"$GPRP,0C61CFC1452E,E7DAE08E6FC3,-56,{frame},{t + 2}");
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-snacks"]);

        var result = await Scenario.Expect(await gateway.PostAsync("/api/v1/sightings/ingics", new StringContent(body, Encoding.UTF8, "text/plain")), HttpStatusCode.Accepted);

        Assert.Equal(3, result["accepted"]!.GetValue<int>());
        Assert.Equal(2, Assert.Single(result["rejected"]!.AsArray())!["index"]!.GetValue<int>());
        var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        var stay = Assert.Single(trail["transitions"]!.AsArray())!;
        Assert.Equal("snacks", stay["zoneId"]!.GetValue<string>());
        Assert.Equal((t + 2) * 1000, DateTimeOffset.Parse(stay["enteredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task An_unreadable_vendor_payload_is_a_400_problem_and_the_key_is_still_required()
    {
        using var store = await Scenario.CreateAsync(Host);
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);
        await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings/minew", new StringContent("{not json", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings/minew", new StringContent("{\"an\":\"object\"}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);

        using var anonymous = Host.CreateClient();
        await Scenario.ExpectProblem(await anonymous.PostAsync("/api/v1/sightings/ingics", new StringContent("$GPRP,1,2,-50,00", Encoding.UTF8, "text/plain")), HttpStatusCode.Unauthorized);
        await Scenario.ExpectProblem(await anonymous.PostAsync("/api/v1/sightings?access_token=" + Uri.EscapeDataString(store.GatewayKeys["gw-dairy"]), new StringContent("{\"sightings\":[]}", Encoding.UTF8, "application/json")), HttpStatusCode.Unauthorized);
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
