using System.Net;
using System.Net.Http.Json;
using System.Text;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;


/// <summary>Bad input gets the contract's status with a problem+json detail, and loses nothing else.</summary>
[Collection(SharedEngineA.Name)]
public sealed class BadInputTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task Malformed_json_is_a_400_problem_that_says_where()
    {
        using var store = await Scenario.CreateAsync(Host);
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);

        var detail = await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings", Json("{\"sightings\": [")), HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", detail, StringComparison.Ordinal);

        detail = await Scenario.ExpectProblem(await store.Admin.PutAsync($"/api/v1/stores/{store.StoreId}", Json("{ name: ")), HttpStatusCode.BadRequest);
        Assert.Contains("JSON", detail, StringComparison.Ordinal);

        detail = await Scenario.ExpectProblem(await store.Brands["brand-a"].PostAsync("/api/v1/offers", Json("""{"storeId": 5}""")), HttpStatusCode.BadRequest);
        Assert.Contains("storeId", detail, StringComparison.Ordinal);

        // Numbers are JSON numbers, as the OpenAPI document types them: a number in a string names its field.
        detail = await Scenario.ExpectProblem(
            await store.Brands["brand-a"].PostAsync("/api/v1/offers", Json($$"""{"storeId": "{{store.StoreId}}", "zoneIds": ["dairy"], "title": "t", "discount": {"kind": "percent", "value": 10}, "couponTtlMinutes": "60"}""")),
            HttpStatusCode.BadRequest);
        Assert.Contains("couponTtlMinutes", detail, StringComparison.Ordinal);

        detail = await Scenario.ExpectProblem(await store.Brands["brand-a"].PostAsync("/api/v1/offers", Json($$$"""{"storeId": "{{{store.StoreId}}}", "zoneIds": ["dairy"], "title": "x", "discount": {"kind": "percent", "value": 150}}""")), HttpStatusCode.BadRequest);
        Assert.Contains("discount.value", detail, StringComparison.Ordinal);

        detail = await Scenario.ExpectProblem(await store.Brands["brand-a"].PostAsync("/api/v1/offers", Json($$$"""{"storeId": "{{{store.StoreId}}}", "zoneIds": ["bakery"], "title": "x", "discount": {"kind": "amount", "value": 1}}""")), HttpStatusCode.BadRequest);
        Assert.Contains("bakery", detail, StringComparison.Ordinal);

        // The store is as it was.
        var layout = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK);
        Assert.Equal(2, layout["zones"]!.AsArray().Count);
        await AliveAsync();
    }

    [Fact]
    public async Task A_batch_with_broken_items_rejects_each_by_index_and_the_good_items_still_count()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        var now = DateTimeOffset.UtcNow;
        var good = Scenario.Approach(shopper, now.AddSeconds(-3));
        object[] batch =
        [
            good[0],
            new { ts = now.AddSeconds(-2.9).ToUnixTimeMilliseconds(), rssi = -60, rawData = "0201061AFF4C0002ZZ" },                      // bad hex
            new { ts = now.AddSeconds(-2.8).ToUnixTimeMilliseconds(), ibeacon = new { uuid = shopper.Uuid, major = shopper.Major, minor = shopper.Minor } }, // no rssi
            good[1],
            new { rssi = -60, ibeacon = new { uuid = shopper.Uuid, major = 4000, minor = 4000 } },                                            // nobody's identity
            new { rssi = -60, ibeacon = new { uuid = Guid.NewGuid().ToString(), major = 1, minor = 1 } },                                      // another store's beacon
            new { rssi = -60 },                                                                                                                // no identity at all
            new { rssi = -60, rawData = "0201061AFF4C000215" },                                                                               // truncated frame
            new { ts = now.AddSeconds(-1).ToUnixTimeMilliseconds(), rssi = -58, rawData = IBeaconHex(shopper) },                              // good, raw form
            new { ts = "yesterday", rssi = -60, ibeacon = new { uuid = shopper.Uuid, major = shopper.Major, minor = shopper.Minor } },          // bad time
            good[2],
        ];

        var result = await store.PostSightingsAsync("gw-dairy", batch);

        Assert.Equal(4, result["accepted"]!.GetValue<int>());
        Assert.Equal(2, result["dropped"]!.GetValue<int>());
        var rejected = result["rejected"]!.AsArray().Select(r => (Index: r!["index"]!.GetValue<int>(), Error: r["error"]!.GetValue<string>())).ToList();
        Assert.Equal([1, 2, 6, 7, 9], rejected.Select(r => r.Index));
        Assert.Contains("hex", rejected[0].Error, StringComparison.Ordinal);
        Assert.Contains("rssi", rejected[1].Error, StringComparison.Ordinal);
        Assert.Contains("ibeacon", rejected[2].Error, StringComparison.Ordinal);
        Assert.Contains("advertisement", rejected[3].Error, StringComparison.Ordinal);
        Assert.Contains("ts", rejected[4].Error, StringComparison.Ordinal);

        // The good items placed the shopper and fired the offer.
        using var me = Host.CreateClient(shopper.Token);
        var wallet = await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Single(wallet["coupons"]!.AsArray());
        await AliveAsync();
    }

    [Fact]
    public async Task A_ts_in_unix_seconds_is_rejected_saying_it_looks_like_seconds_and_what_to_send()
    {
        using var store = await Scenario.CreateAsync(Host);
        var shopper = await store.EnrolAsync();
        var seconds = DateTimeOffset.UtcNow.AddSeconds(-2).ToUnixTimeSeconds();
        var identity = new { uuid = shopper.Uuid, major = shopper.Major, minor = shopper.Minor };

        var result = await store.PostSightingsAsync("gw-dairy", [new { ts = seconds, rssi = -60, ibeacon = identity }, new { ts = 5_000, rssi = -60, ibeacon = identity }]);

        var errors = result["rejected"]!.AsArray().Select(r => r!["error"]!.GetValue<string>()).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains($"{seconds} looks like Unix seconds", errors[0], StringComparison.Ordinal);
        Assert.Contains($"Unix milliseconds ({seconds * 1000})", errors[0], StringComparison.Ordinal);
        Assert.Contains("ISO-8601", errors[0], StringComparison.Ordinal);

        // A number that is no time at all in either unit is simply too old, not a unit mistake.
        Assert.DoesNotContain("seconds", errors[1], StringComparison.Ordinal);
        Assert.Contains("7 days old", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_does_not_match_its_content_type_is_a_415_naming_both()
    {
        using var store = await Scenario.CreateAsync(Host);
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);
        const string Batch = """{"sightings":[]}""";

        // JSON declared as MessagePack.
        using var jsonAsMessagePack = new StringContent(Batch, Encoding.UTF8, "application/x-msgpack");
        var detail = await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings", jsonAsMessagePack), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'application/x-msgpack", detail, StringComparison.Ordinal);
        Assert.Contains("the body is JSON", detail, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json", detail, StringComparison.Ordinal);

        // MessagePack declared as JSON.
        using var messagePackAsJson = new ByteArrayContent(MessagePack.MessagePackSerializer.ConvertFromJson(Batch));
        messagePackAsJson.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        detail = await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings", messagePackAsJson), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'application/json", detail, StringComparison.Ordinal);
        Assert.Contains("MessagePack", detail, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/x-msgpack", detail, StringComparison.Ordinal);

        // Each declared rightly is accepted, and a byte order mark before JSON is still fine.
        await Scenario.Expect(await gateway.PostAsync("/api/v1/sightings", Json(Batch)), HttpStatusCode.Accepted);
        using var withBom = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Batch)]);
        withBom.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await Scenario.Expect(await gateway.PostAsync("/api/v1/sightings", withBom), HttpStatusCode.Accepted);

        // A JSON value that is not an object says what it is.
        detail = await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings", Json("[1,2]")), HttpStatusCode.BadRequest);
        Assert.Contains("it is an array", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_or_wrong_keys_get_401_and_wrong_roles_get_403()
    {
        using var store = await Scenario.CreateAsync(Host);
        var shopper = await store.EnrolAsync();
        using var anonymous = Host.CreateClient();
        using var forged = Host.CreateClient("gw_not-a-real-key");
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);
        using var shopperApi = Host.CreateClient(shopper.Token);
        var brand = store.Brands["brand-a"];

        await Scenario.ExpectProblem(await anonymous.GetAsync("/api/v1/offers"), HttpStatusCode.Unauthorized);
        await Scenario.ExpectProblem(await anonymous.PostAsync("/api/v1/sightings", Json("""{"sightings":[]}""")), HttpStatusCode.Unauthorized);
        await Scenario.ExpectProblem(await forged.PostAsync("/api/v1/sightings", Json("""{"sightings":[]}""")), HttpStatusCode.Unauthorized);
        await Scenario.ExpectProblem(await forged.GetAsync("/api/v1/me/wallet"), HttpStatusCode.Unauthorized);
        using var wellFormed = Host.CreateClient("sh_" + new string('A', 43));
        await Scenario.ExpectProblem(await wellFormed.GetAsync("/api/v1/me/wallet"), HttpStatusCode.Unauthorized);
        await Scenario.ExpectProblem(await anonymous.PostAsync("/api/v1/sightings/ingics?access_token=", Json("")), HttpStatusCode.Unauthorized);

        // The native route takes JSON only, and says so.
        var detail = await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings", new StringContent("sightings", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", detail, StringComparison.Ordinal);
        Assert.Contains("'text/plain", detail, StringComparison.Ordinal);

        // Any JSON route says which type it was given and which it takes.
        detail = await Scenario.ExpectProblem(await store.Brands["brand-a"].PostAsync("/api/v1/offers", new StringContent("{}", Encoding.UTF8, "text/csv")), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'text/csv", detail, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json", detail, StringComparison.Ordinal);

        await Scenario.ExpectProblem(await gateway.GetAsync("/api/v1/offers"), HttpStatusCode.Forbidden);
        await Scenario.ExpectProblem(await brand.PostAsync("/api/v1/sightings", Json("""{"sightings":[]}""")), HttpStatusCode.Forbidden);
        await Scenario.ExpectProblem(await shopperApi.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new { name = "mine now" }), HttpStatusCode.Forbidden);
        await Scenario.ExpectProblem(await brand.PostAsJsonAsync("/api/v1/brands", new { brandId = "sneaky", name = "x" }), HttpStatusCode.Forbidden);
        await Scenario.ExpectProblem(await gateway.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = "ABC" }), HttpStatusCode.Forbidden);

        // A gateway cannot speak for another gateway.
        await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings", Json("""{"gatewayId":"gw-snacks","sightings":[]}""")), HttpStatusCode.Forbidden);
        await AliveAsync();
    }

    [Fact]
    public async Task Another_brands_offer_is_not_found_and_stays_untouched()
    {
        using var store = await Scenario.CreateAsync(Host);
        var offerId = await store.CreateOfferAsync("dairy", title: "Brand A's offer");
        var other = await store.RegisterBrandAsync("brand-b");
        var edit = new { storeId = store.StoreId, zoneIds = new[] { "dairy" }, title = "hijacked", discount = new { kind = "percent", value = 99 } };

        await Scenario.ExpectProblem(await other.GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await other.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await other.PutAsJsonAsync($"/api/v1/offers/{offerId}", edit), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await other.DeleteAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.NotFound);
        var theirs = await Scenario.Expect(await other.GetAsync("/api/v1/offers"), HttpStatusCode.OK);
        Assert.Empty(theirs["offers"]!.AsArray());

        // Indistinguishable from an offer that does not exist.
        await Scenario.ExpectProblem(await other.GetAsync("/api/v1/offers/off_doesnotexist"), HttpStatusCode.NotFound);

        var mine = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.OK);
        Assert.Equal("Brand A's offer", mine["title"]!.GetValue<string>());
        Assert.Equal(20m, mine["discount"]!["value"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Oversized_batches_and_bodies_get_413_and_the_server_carries_on()
    {
        using var store = await Scenario.CreateAsync(Host);
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);

        var items = string.Join(",", Enumerable.Repeat("""{"rssi":-60,"ibeacon":{"uuid":"00000000-0000-0000-0000-000000000001","major":1,"minor":1}}""", 5_001));
        var detail = await Scenario.ExpectProblem(await gateway.PostAsync("/api/v1/sightings", Json($$"""{"sightings":[{{items}}]}""")), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("5000", detail, StringComparison.Ordinal);

        // With 'Expect: 100-continue' the server refuses before the body is sent, so the 413 always
        // arrives; without it the server may close while a client is still uploading (a reset).
        var huge = new string(' ', 2 * 1024 * 1024);
        await Scenario.ExpectProblem(await SendLargeAsync(gateway, HttpMethod.Post, "/api/v1/sightings", $$"""{"sightings":[]{{huge}}}"""), HttpStatusCode.RequestEntityTooLarge);
        await Scenario.ExpectProblem(await SendLargeAsync(store.Admin, HttpMethod.Put, $"/api/v1/stores/{store.StoreId}", $$"""{"name":"x"{{huge}}}"""), HttpStatusCode.RequestEntityTooLarge);
        await AliveAsync();
    }

    private static Task<HttpResponseMessage> SendLargeAsync(HttpClient client, HttpMethod method, string path, string body)
    {
        var request = new HttpRequestMessage(method, path) { Content = Json(body) };
        request.Headers.ExpectContinue = true;
        return client.SendAsync(request);
    }

    [Fact]
    public async Task Unknown_routes_codes_and_shoppers_are_404_problems()
    {
        using var store = await Scenario.CreateAsync(Host);
        await Scenario.ExpectProblem(await store.Admin.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = "NOSUCHCODE" }), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/shp_nobody/trail"), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync("/api/v1/stores/no-such-store/gateways", new { gatewayId = "g", zoneId = "z" }), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/gateways", new { gatewayId = "gw-dairy", zoneId = "dairy" }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_store_can_tune_its_zone_resolver_and_bad_settings_are_named()
    {
        using var store = await Scenario.CreateAsync(Host);
        var zones = new[] { new { id = "dairy", neighbors = new[] { "snacks" } }, new { id = "snacks", neighbors = new[] { "dairy" } } };

        var tuned = await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new
        {
            name = "Tuned",
            zones,
            proximity = new { switchMarginDb = 8, filter = "kalman", exitTimeoutSeconds = 20 },
        }), HttpStatusCode.OK);
        var proximity = tuned["proximity"]!;
        Assert.Equal(8, proximity["switchMarginDb"]!.GetValue<double>());
        Assert.Equal("kalman", proximity["filter"]!.GetValue<string>());
        Assert.Equal(20, proximity["exitTimeoutSeconds"]!.GetValue<double>());
        Assert.Equal(3, proximity["windowSeconds"]!.GetValue<double>());
        Assert.Equal(-70, proximity["enterRssiDbm"]!.GetValue<double>());

        var detail = await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new { name = "x", zones, proximity = new { switchMarginDb = -3 } }), HttpStatusCode.BadRequest);
        Assert.Contains("switchMarginDb", detail, StringComparison.Ordinal);
        detail = await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new { name = "x", zones, proximity = new { filter = "magic" } }), HttpStatusCode.BadRequest);
        Assert.Contains("kalman", detail, StringComparison.Ordinal);
        detail = await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new { name = "x", zones, proximity = new { windowSeconds = 99999 } }), HttpStatusCode.BadRequest);
        Assert.Contains("windowSeconds", detail, StringComparison.Ordinal);

        // The refused layouts changed nothing.
        var layout = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK);
        Assert.Equal("Tuned", layout["name"]!.GetValue<string>());
        Assert.Equal(8, layout["proximity"]!["switchMarginDb"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_layout_that_drops_a_zone_still_in_use_is_refused_and_changes_nothing()
    {
        using var store = await Scenario.CreateAsync(Host);
        object Zones(params string[] ids) => new { name = "x", zones = ids.Select(id => new { id }) };

        // gw-dairy stands in the dairy zone.
        var detail = await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", Zones("snacks")), HttpStatusCode.Conflict);
        Assert.Contains("gw-dairy", detail, StringComparison.Ordinal);

        // A bakery zone with no gateway, but an offer for it.
        await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", Zones("dairy", "snacks", "bakery")), HttpStatusCode.OK);
        var offerId = await store.CreateOfferAsync("bakery");
        detail = await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", Zones("dairy", "snacks")), HttpStatusCode.Conflict);
        Assert.Contains(offerId, detail, StringComparison.Ordinal);

        var layout = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK);
        Assert.Equal(["dairy", "snacks", "bakery"], layout["zones"]!.AsArray().Select(z => z!["id"]!.GetValue<string>()));

        // Once the offer is retired the zone can go.
        Assert.Equal(HttpStatusCode.NoContent, (await store.Brands["brand-a"].DeleteAsync($"/api/v1/offers/{offerId}")).StatusCode);
        await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", Zones("dairy", "snacks")), HttpStatusCode.OK);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string IBeaconHex(EnrolledShopper shopper) =>
        $"0201061AFF4C000215{Guid.Parse(shopper.Uuid):N}{shopper.Major:X4}{shopper.Minor:X4}C5".ToUpperInvariant();

    private async Task AliveAsync()
    {
        using var client = Host.CreateClient();
        await Scenario.Expect(await client.GetAsync("/health"), HttpStatusCode.OK);
    }
}
