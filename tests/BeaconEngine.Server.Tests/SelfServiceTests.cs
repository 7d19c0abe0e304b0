using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>Shoppers keep control: each self-service action through the API, and what it changes in the engine.</summary>
[Collection(SharedEngineA.Name)]
public sealed class SelfServiceTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task Preferences_round_trip_and_never_offer_keeps_a_category_away()
    {
        using var store = await Scenario.CreateAsync(Host);
        var offerId = await store.CreateOfferAsync("dairy", extra: new { category = "yoghurt" });
        var shopper = await store.EnrolAsync();
        using var me = Host.CreateClient(shopper.Token);

        var put = await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/preferences", new
        {
            interests = new[] { "Coffee" },
            needs = new[] { "vegan" },
            neverOffer = new[] { "yoghurt" },
            quietHours = new { from = "22:00", to = "07:30" },
            theme = "dark",
        }), HttpStatusCode.OK);
        Assert.Equal(["coffee"], put["interests"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["vegan"], put["needs"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(("22:00", "07:30"), (put["quietHours"]!["from"]!.GetValue<string>(), put["quietHours"]!["to"]!.GetValue<string>()));
        Assert.Equal("dark", put["raw"]!["theme"]!.GetValue<string>());
        var got = await Scenario.Expect(await me.GetAsync("/api/v1/me/preferences"), HttpStatusCode.OK);
        Assert.Equal(put.ToJsonString(), got.ToJsonString());

        var outcome = (await Explain(store, shopper))["candidates"]!.AsArray().Single(c => c!["offerId"]!.GetValue<string>() == offerId)!["outcome"]!.GetValue<string>();
        Assert.Equal("optedOutCategory", outcome);

        foreach (var (body, field) in new (object, string)[]
        {
            (new { quietHours = new { from = "25:00", to = "07:00" } }, "quietHours.from"),
            (new { quietHours = new { from = "07:00", to = "07:00" } }, "quietHours.from"),
            (new { neverOffer = "yoghurt" }, "neverOffer"),
        })
        {
            Assert.Contains(field, await Scenario.ExpectProblem(await me.PutAsJsonAsync("/api/v1/me/preferences", body), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        await Scenario.ExpectProblem(await me.PutAsJsonAsync("/api/v1/me/preferences", new[] { 1 }), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await store.Brands["brand-a"].GetAsync("/api/v1/me/preferences"), HttpStatusCode.Forbidden);
        using var anonymous = Host.CreateClient();
        await Scenario.ExpectProblem(await anonymous.GetAsync("/api/v1/me/preferences"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Quiet_hours_hold_coupons_back_until_they_are_lifted()
    {
        using var store = await Scenario.CreateAsync(Host);
        var offerId = await store.CreateOfferAsync("snacks", extra: new { trigger = "dwell", minDwellSeconds = 1 });
        var shopper = await store.EnrolAsync();
        using var me = Host.CreateClient(shopper.Token);

        // Quiet from an hour ago to an hour from now, in the store's time zone.
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        var quiet = new { from = local.AddHours(-1).ToString("HH:mm", CultureInfo.InvariantCulture), to = local.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture) };
        await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/preferences", new { quietHours = quiet }), HttpStatusCode.OK);

        // Six sightings over 2.5 s: placed after the third, then past the offer's 1 s of dwell.
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, count: 6));
        Assert.Empty((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray());

        await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/preferences", new { }), HttpStatusCode.OK);
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(3)));
        var wallet = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
        Assert.Equal(offerId, Assert.Single(wallet)!["offerId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Withdrawing_consent_stops_offers_and_then_locating()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("snacks");
        var shopper = await store.EnrolAsync();
        using var me = Host.CreateClient(shopper.Token);

        var noOffers = await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/consent", new { proximity = true, offers = false }), HttpStatusCode.OK);
        Assert.False(noOffers["consent"]!["offers"]!.GetValue<bool>());
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
        Assert.Empty((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray());
        Assert.Equal("noOfferConsent", (await Explain(store, shopper, "snacks"))["blockedBy"]!.GetValue<string>());
        var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        Assert.NotEmpty(trail["transitions"]!.AsArray());

        await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/consent", new { proximity = false, offers = false }), HttpStatusCode.OK);
        var dropped = await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Equal((0, 3), (dropped["accepted"]!.GetValue<int>(), dropped["dropped"]!.GetValue<int>()));
        trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        Assert.Empty(trail["transitions"]!.AsArray());

        Assert.Contains("offers", await Scenario.ExpectProblem(await me.PutAsJsonAsync("/api/v1/me/consent", new { proximity = true }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_relevant_closes_the_coupon_and_the_rules_leave_its_category_alone()
    {
        using var store = await Scenario.CreateAsync(Host);
        var first = await store.CreateOfferAsync("dairy", title: "Yoghurt", extra: new { category = "yoghurt" });
        var second = await store.CreateOfferAsync("dairy", title: "More yoghurt", brandId: "brand-a", extra: new { category = "yoghurt", trigger = "dwell", minDwellSeconds = 1 });
        var shopper = await store.EnrolAsync();
        using var me = Host.CreateClient(shopper.Token);
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        var coupon = Assert.Single((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray())!;
        Assert.Equal(first, coupon["offerId"]!.GetValue<string>());

        Assert.Equal("chosen", Outcome(await Explain(store, shopper, "dairy", "dwell", 30, hoursOn: 2), second));
        await Scenario.Expect(await me.PostAsync($"/api/v1/me/coupons/{coupon["couponId"]}/not-relevant", null), HttpStatusCode.NoContent);
        Assert.Empty((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray());

        // One "not relevant" is enough: the category is out, long after any quiet time.
        Assert.Equal("dismissedCategory", Outcome(await Explain(store, shopper, "dairy", "dwell", 30, hoursOn: 2), second));
        await Scenario.ExpectProblem(await me.PostAsync("/api/v1/me/coupons/cpn_nope/not-relevant", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_loyalty_card_names_one_shopper_and_erasure_lets_it_go()
    {
        using var store = await Scenario.CreateAsync(Host);
        var ann = await store.EnrolAsync();
        using var annApp = Host.CreateClient(ann.Token);

        await Scenario.Expect(await annApp.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = "card-42" }), HttpStatusCode.OK);
        Assert.Equal("card-42", (await Scenario.Expect(await annApp.GetAsync("/api/v1/me/loyalty"), HttpStatusCode.OK))["loyaltyId"]!.GetValue<string>());
        await Scenario.ExpectProblem(await annApp.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = "" }), HttpStatusCode.BadRequest);

        var till = $"/api/v1/stores/{store.StoreId}/purchases";
        var basket = new { loyaltyId = "card-42", lines = new[] { new { brand = "b", amount = 1 } } };
        Assert.Equal(ann.ShopperId, (await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, basket), HttpStatusCode.Created))["shopperId"]!.GetValue<string>());

        await Scenario.Expect(await annApp.DeleteAsync("/api/v1/me"), HttpStatusCode.NoContent);
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(till, basket), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/loyalty/card-42"), HttpStatusCode.NotFound);

        var bob = await store.EnrolAsync();
        using var bobApp = Host.CreateClient(bob.Token);
        await Scenario.Expect(await bobApp.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = "card-42" }), HttpStatusCode.OK);
        Assert.Equal(bob.ShopperId, (await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, basket), HttpStatusCode.Created))["shopperId"]!.GetValue<string>());
        await Scenario.Expect(await bobApp.DeleteAsync("/api/v1/me/loyalty"), HttpStatusCode.NoContent);
        Assert.Null((await Scenario.Expect(await bobApp.GetAsync("/api/v1/me/loyalty"), HttpStatusCode.OK))["loyaltyId"]);
    }

    [Fact]
    public async Task Linking_a_card_someone_else_holds_reveals_nothing_and_the_store_settles_it()
    {
        using var store = await Scenario.CreateAsync(Host);
        var ann = await store.EnrolAsync();
        var bob = await store.EnrolAsync();
        using var annApp = Host.CreateClient(ann.Token);
        using var bobApp = Host.CreateClient(bob.Token);
        var till = $"/api/v1/stores/{store.StoreId}/purchases";
        var basket = new { loyaltyId = "card-7", lines = new[] { new { brand = "b", amount = 1 } } };
        var card = $"/api/v1/stores/{store.StoreId}/loyalty/card-7";

        // Bob links Ann's card: he is answered exactly as Ann was, and his app shows the card as his.
        var annLinked = await (await annApp.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = "card-7" })).Content.ReadAsStringAsync();
        var bobAnswer = await bobApp.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = "card-7" });
        Assert.Equal(HttpStatusCode.OK, bobAnswer.StatusCode);
        Assert.Equal(annLinked, await bobAnswer.Content.ReadAsStringAsync());
        Assert.Equal("card-7", (await Scenario.Expect(await bobApp.GetAsync("/api/v1/me/loyalty"), HttpStatusCode.OK))["loyaltyId"]!.GetValue<string>());

        // The till names neither of them by the disputed card, and says how it is settled.
        var disputed = await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(till, basket), HttpStatusCode.Conflict);
        Assert.DoesNotContain(ann.ShopperId, disputed, StringComparison.Ordinal);
        Assert.DoesNotContain(bob.ShopperId, disputed, StringComparison.Ordinal);
        Assert.Contains("confirmation", disputed, StringComparison.Ordinal);

        // The store sees both, and confirms the one who showed the card at the desk.
        var status = await Scenario.Expect(await store.Admin.GetAsync(card), HttpStatusCode.OK);
        Assert.Equal((ann.ShopperId, false, bob.ShopperId), (status["shopperId"]!.GetValue<string>(), status["confirmed"]!.GetValue<bool>(), status["claimants"]![0]!.GetValue<string>()));
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync($"{card}/confirmation", new { shopperId = "shp_nobody" }), HttpStatusCode.Conflict);
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync($"{card}/confirmation", new { }), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/loyalty/card-none/confirmation", new { shopperId = bob.ShopperId }), HttpStatusCode.NotFound);
        var confirmed = await Scenario.Expect(await store.Admin.PostAsJsonAsync($"{card}/confirmation", new { shopperId = bob.ShopperId }), HttpStatusCode.OK);
        Assert.Equal((bob.ShopperId, true, 0), (confirmed["shopperId"]!.GetValue<string>(), confirmed["confirmed"]!.GetValue<bool>(), confirmed["claimants"]!.AsArray().Count));

        Assert.Equal(bob.ShopperId, (await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, basket), HttpStatusCode.Created))["shopperId"]!.GetValue<string>());
        Assert.Null((await Scenario.Expect(await annApp.GetAsync("/api/v1/me/loyalty"), HttpStatusCode.OK))["loyaltyId"]);

        // A confirmed holder keeps the card through a later claim; the store sees the claim.
        await Scenario.Expect(await annApp.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = "card-7" }), HttpStatusCode.OK);
        Assert.Equal(bob.ShopperId, (await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, basket), HttpStatusCode.Created))["shopperId"]!.GetValue<string>());
        Assert.Equal(ann.ShopperId, (await Scenario.Expect(await store.Admin.GetAsync(card), HttpStatusCode.OK))["claimants"]![0]!.GetValue<string>());

        // Brands and shoppers cannot read or settle cards.
        using var brand = await store.RegisterBrandAsync("brand-loyal");
        Assert.Equal(HttpStatusCode.Forbidden, (await brand.GetAsync(card)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await annApp.PostAsJsonAsync($"{card}/confirmation", new { shopperId = ann.ShopperId })).StatusCode);
    }

    [Fact]
    public async Task The_push_channel_needs_a_configured_push_service()
    {
        using var store = await Scenario.CreateAsync(Host);
        var shopper = await store.EnrolAsync();
        using var me = Host.CreateClient(shopper.Token);
        Assert.Equal("inApp", (await Scenario.Expect(await me.GetAsync("/api/v1/me/channel"), HttpStatusCode.OK))["kind"]!.GetValue<string>());
        await Scenario.ExpectProblem(await me.PutAsJsonAsync("/api/v1/me/channel", new { kind = "push" }), HttpStatusCode.Conflict);
        await Scenario.ExpectProblem(await me.PutAsJsonAsync("/api/v1/me/channel", new { kind = "carrier-pigeon" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_push_channel_posts_a_signed_webhook_and_retries_until_it_is_taken()
    {
        const string secret = "push-secret-for-tests";
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/push/");
        listener.Start();
        var received = new List<(string Signature, string Delivery, string Body, DateTimeOffset At)>();
        var done = new TaskCompletionSource();
        var serving = Task.Run(async () =>
        {
            while (received.Count < 2)
            {
                var context = await listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                received.Add((context.Request.Headers["X-BeaconEngine-Signature"]!, context.Request.Headers["X-BeaconEngine-Delivery"]!, await reader.ReadToEndAsync(), DateTimeOffset.UtcNow));

                // The push service is down the first time.
                context.Response.StatusCode = received.Count == 1 ? 503 : 202;
                context.Response.Close();
            }

            done.SetResult();
        });

        await using var host = await EngineHost.StartAsync(null,
            "--BeaconEngine:Push:WebhookUrl", $"http://127.0.0.1:{port}/push/coupons",
            "--BeaconEngine:Push:Secret", secret,
            "--BeaconEngine:Push:FirstRetryDelay", "00:00:00.200");
        using var store = await Scenario.CreateAsync(host);
        await store.CreateOfferAsync("snacks");
        var shopper = await store.EnrolAsync();
        using var me = host.CreateClient(shopper.Token);
        var channel = await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/channel", new { kind = "push", pushToken = "fcm:abc123" }), HttpStatusCode.OK);
        Assert.Equal("push", channel["kind"]!.GetValue<string>());

        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
        await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await serving;

        var code = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.Equal(received[0].Delivery, received[1].Delivery);
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromMilliseconds(200), "the retry waited its backoff");
        foreach (var (signature, _, body, _) in received)
        {
            // t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">, checked as a receiver would.
            var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}")));
            Assert.Equal(expected, parts["v1"]);
            Assert.InRange(long.Parse(parts["t"], CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        var payload = JsonNode.Parse(received[1].Body)!;
        Assert.Equal((shopper.ShopperId, "fcm:abc123", code), (payload["shopperId"]!.GetValue<string>(), payload["pushToken"]!.GetValue<string>(), payload["coupon"]!["code"]!.GetValue<string>()));
    }

    private static int FreePort()
    {
        return EngineHost.FreeTcpPort();
    }

    private static string Outcome(JsonObject explanation, string offerId) =>
        explanation["candidates"]!.AsArray().Single(c => c!["offerId"]!.GetValue<string>() == offerId)!["outcome"]!.GetValue<string>();

    private static async Task<JsonObject> Explain(Scenario store, EnrolledShopper shopper, string zoneId = "dairy", string trigger = "enter", int dwell = 0, int hoursOn = 0) =>
        await Scenario.Expect(await store.Admin.GetAsync(
            $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId={zoneId}&trigger={trigger}&dwellSeconds={dwell}&at={DateTimeOffset.UtcNow.AddHours(hoursOn).ToUnixTimeMilliseconds()}"),
            HttpStatusCode.OK);
}
