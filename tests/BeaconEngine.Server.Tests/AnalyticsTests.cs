using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>Purchases from the till, an offer's results by zone and hour, and its lift over the control group.</summary>
[Collection(SharedEngineA.Name)]
public sealed class AnalyticsTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task Lift_on_a_constructed_data_set_is_Newcombes_published_example()
    {
        // Newcombe (1998), example (b): 9 of 10 treated buy, 3 of 10 held out buy.
        // Difference 0.6, 95 % interval 0.1705 to 0.8090; Wilson intervals 0.5958-0.9821 and 0.1078-0.6032.
        using var store = await Scenario.CreateAsync(Host);
        var brandId = $"brand-a-{store.StoreId}";
        var offerId = await store.CreateOfferAsync("snacks", title: "Crisps", extra: new { holdoutShare = 0.5, category = "snacks" });
        var treated = new List<(EnrolledShopper Shopper, string Code)>();
        var control = new List<EnrolledShopper>();
        while (treated.Count < 10 || control.Count < 10)
        {
            // The operator's explain tells the group before the shopper is exposed, so each group gets exactly ten.
            var shopper = await store.EnrolAsync();
            var decision = (await Scenario.Expect(await store.Admin.GetAsync(
                $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId=snacks&trigger=enter"), HttpStatusCode.OK))["decision"]!.GetValue<string>();
            var group = decision == "holdout" ? control.Count : treated.Count;
            if (group >= 10)
            {
                continue;
            }

            await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
            using var me = Host.CreateClient(shopper.Token);
            var wallet = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
            if (decision == "holdout")
            {
                Assert.Empty(wallet);
                await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = $"card-{control.Count}" }), HttpStatusCode.OK);
                control.Add(shopper);
            }
            else
            {
                Assert.Single(wallet);
                treated.Add((shopper, wallet[0]!["code"]!.GetValue<string>()));
            }
        }

        var till = $"/api/v1/stores/{store.StoreId}/purchases";
        for (var i = 0; i < 9; i++)
        {
            var bought = await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new
            {
                code = treated[i].Code,
                lines = new object[] { new { brand = brandId, category = "snacks", amount = 2.49 }, new { brand = "someone-else", category = "milk", amount = 1.10 } },
            }), HttpStatusCode.Created);
            Assert.Equal(treated[i].Shopper.ShopperId, bought["shopperId"]!.GetValue<string>());
            Assert.Equal(3.59m, bought["total"]!.GetValue<decimal>());
            Assert.Equal("treated", bought["countedFor"]![0]!["group"]!.GetValue<string>());

            // A second basket of the same shopper does not count twice.
            var again = await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { code = treated[i].Code, lines = new[] { new { brand = brandId, amount = 1 } } }), HttpStatusCode.Created);
            Assert.Empty(again["countedFor"]!.AsArray());
        }

        // The tenth treated shopper buys only another brand: not a buyer.
        await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { code = treated[9].Code, lines = new[] { new { brand = "someone-else", amount = 5 } } }), HttpStatusCode.Created);

        for (var i = 0; i < 3; i++)
        {
            var bought = await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { loyaltyId = $"card-{i}", lines = new[] { new { brand = brandId, amount = 3 } } }), HttpStatusCode.Created);
            Assert.Equal(control[i].ShopperId, bought["shopperId"]!.GetValue<string>());
            Assert.Equal("control", bought["countedFor"]![0]!["group"]!.GetValue<string>());
        }

        // A basket from before the shopper joined the control group does not count.
        var earlier = await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new
        {
            loyaltyId = "card-3",
            at = DateTimeOffset.UtcNow.AddHours(-1),
            lines = new[] { new { brand = brandId, amount = 3 } },
        }), HttpStatusCode.Created);
        Assert.Empty(earlier["countedFor"]!.AsArray());

        // The operator reads the exact figures; the brand's view of them (3 control buyers) is checked below.
        var stats = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        var lift = stats["lift"]!;
        Assert.Equal((10, 9), (lift["treated"]!["shoppers"]!.GetValue<long>(), lift["treated"]!["buyers"]!.GetValue<long>()));
        Assert.Equal((10, 3), (lift["control"]!["shoppers"]!.GetValue<long>(), lift["control"]!["buyers"]!.GetValue<long>()));
        Assert.Equal(0.6, lift["difference"]!.GetValue<double>(), 10);
        Assert.Equal(0.1705, lift["low"]!.GetValue<double>(), 4);
        Assert.Equal(0.8090, lift["high"]!.GetValue<double>(), 4);
        Assert.Equal(0.5958, lift["treated"]!["low"]!.GetValue<double>(), 4);
        Assert.Equal(0.6032, lift["control"]!["high"]!.GetValue<double>(), 4);
        Assert.Equal(2.0, lift["relative"]!.GetValue<double>(), 10);
        Assert.True(lift["significant"]!.GetValue<bool>());
        Assert.False(lift["enoughData"]!.GetValue<bool>());

        // The anytime-valid interval is wider and still includes zero at 20 shoppers: the verdict waits.
        Assert.True(lift["anytimeLow"]!.GetValue<double>() < 0 && lift["anytimeHigh"]!.GetValue<double>() > 0.809);
        Assert.False(lift["significantAnytime"]!.GetValue<bool>());
        Assert.Contains("Too early to tell", lift["verdict"]!.GetValue<string>(), StringComparison.Ordinal);

        // The contract's fields keep their meaning; the new counts agree with them.
        Assert.Equal((10, 10, 20), (stats["issued"]!.GetValue<long>(), stats["heldOut"]!.GetValue<long>(), stats["triggered"]!.GetValue<long>()));
        var snacks = stats["byZone"]!.AsArray().Single()!;
        Assert.Equal(("snacks", 10L, 10L), (snacks["zoneId"]!.GetValue<string>(), snacks["issued"]!.GetValue<long>(), snacks["heldOut"]!.GetValue<long>()));
        Assert.Equal(10, stats["byHour"]!.AsArray().Sum(h => h!["issued"]!.GetValue<long>()));

        // The brand: three control buyers are too few to show, and the rates and lift would give them back.
        var seen = (await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK))["lift"]!;
        Assert.Equal((10L, 9L, 10L), (seen["treated"]!["shoppers"]!.GetValue<long>(), seen["treated"]!["buyers"]!.GetValue<long>(), seen["control"]!["shoppers"]!.GetValue<long>()));
        Assert.All(new[] { "buyers", "rate", "low", "high" }, f => Assert.Null(seen["control"]![f]));
        Assert.All(new[] { "difference", "low", "high", "relative", "anytimeLow", "anytimeHigh" }, f => Assert.Null(seen[f]));
        Assert.Equal(["control.buyers", "control.rate", "control.low", "control.high"], seen["suppressed"]!.AsArray().Take(4).Select(s => s!.GetValue<string>()));
        Assert.Equal(OfferResults.TooFewToShow, seen["verdict"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_funnel_counts_opened_dismissed_not_relevant_and_redeemed()
    {
        using var store = await Scenario.CreateAsync(Host);
        var offerId = await store.CreateOfferAsync("dairy", extra: new { category = "yoghurt" });
        var shoppers = new[] { await store.EnrolAsync(), await store.EnrolAsync(), await store.EnrolAsync() };
        var phones = new List<ShopperApp>();
        var coupons = new List<WireCoupon>();
        foreach (var shopper in shoppers)
        {
            var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, shopper.Token);
            phones.Add(phone);
            await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
            coupons.Add(await phone.NextCouponAsync());
        }

        await phones[0].AckAsync(coupons[0].CouponId!);
        await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupons[0].Code }), HttpStatusCode.OK);
        await phones[1].DismissAsync(coupons[1].CouponId!);
        using (var third = Host.CreateClient(shoppers[2].Token))
        {
            await Scenario.Expect(await third.PostAsync($"/api/v1/me/coupons/{coupons[2].CouponId}/not-relevant", null), HttpStatusCode.NoContent);
        }

        foreach (var phone in phones)
        {
            await phone.DisposeAsync();
        }

        // Results are recorded one-way, off the coupon's path: wait until the last one has landed.
        var stats = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK),
            s => s["redeemed"]!.GetValue<long>() == 1 && s["notRelevant"]!.GetValue<long>() == 1 && s["byZone"]![0]!["redeemed"]!.GetValue<long>() == 1,
            what: "the last result to land");

        Assert.Equal(
            (3L, 3L, 1L, 2L, 1L, 1L, 0L),
            (stats["triggered"]!.GetValue<long>(), stats["issued"]!.GetValue<long>(), stats["opened"]!.GetValue<long>(), stats["dismissed"]!.GetValue<long>(),
                stats["notRelevant"]!.GetValue<long>(), stats["redeemed"]!.GetValue<long>(), stats["expired"]!.GetValue<long>()));
        var dairy = stats["byZone"]![0]!;
        Assert.Equal((3L, 1L, 2L, 1L), (dairy["issued"]!.GetValue<long>(), dairy["opened"]!.GetValue<long>(), dairy["dismissed"]!.GetValue<long>(), dairy["redeemed"]!.GetValue<long>()));
        Assert.Equal(3, stats["byHour"]!.AsArray().Sum(h => h!["triggered"]!.GetValue<long>()));
        var lift = stats["lift"]!;
        Assert.Equal((3L, 0L), (lift["treated"]!["shoppers"]!.GetValue<long>(), lift["control"]!["shoppers"]!.GetValue<long>()));
        Assert.Equal((-1.0, 1.0), (lift["low"]!.GetValue<double>(), lift["high"]!.GetValue<double>()));
        Assert.False(lift["significant"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Purchases_check_their_input_and_roles()
    {
        using var store = await Scenario.CreateAsync(Host);
        var till = $"/api/v1/stores/{store.StoreId}/purchases";
        foreach (var (body, field) in new (object, string)[]
        {
            (new { lines = new[] { new { brand = "b", amount = 1 } } }, "code"),
            (new { code = "X", loyaltyId = "y", lines = new[] { new { brand = "b", amount = 1 } } }, "loyaltyId"),
            (new { code = "X" }, "lines"),
            (new { code = "X", lines = new[] { new { brand = "b", amount = -1 } } }, "lines[0].amount"),
            (new { code = "X", lines = new[] { new { brand = "no spaces", amount = 1 } } }, "lines[0].brand"),
            (new { code = "X", at = DateTimeOffset.UtcNow.AddDays(1), lines = new[] { new { brand = "b", amount = 1 } } }, "at"),
        })
        {
            var detail = await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(till, body), HttpStatusCode.BadRequest);
            Assert.Contains(field, detail, StringComparison.Ordinal);
        }

        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(till, new { code = "NOSUCHCODE", lines = new[] { new { brand = "b", amount = 1 } } }), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(till, new { loyaltyId = "nobody", lines = new[] { new { brand = "b", amount = 1 } } }), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Brands["brand-a"].PostAsJsonAsync(till, new { code = "X", lines = new[] { new { brand = "b", amount = 1 } } }), HttpStatusCode.Forbidden);
        using var anonymous = Host.CreateClient();
        await Scenario.ExpectProblem(await anonymous.PostAsJsonAsync(till, new { code = "X" }), HttpStatusCode.Unauthorized);

        // Another store's coupon is not found at this store's till.
        using var other = await Scenario.CreateAsync(Host);
        await other.CreateOfferAsync("dairy");
        var shopper = await other.EnrolAsync();
        await other.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        using var me = Host.CreateClient(shopper.Token);
        var code = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(till, new { code, lines = new[] { new { brand = "b", amount = 1 } } }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_till_key_reports_purchases_and_redeems_coupons_in_its_own_store_only()
    {
        using var store = await Scenario.CreateAsync(Host);
        using var other = await Scenario.CreateAsync(Host);
        await other.CreateOfferAsync("dairy");
        var shopper = await other.EnrolAsync();
        await other.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        using var me = Host.CreateClient(shopper.Token);
        var code = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();

        var issued = await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{other.StoreId}/tills", new { tillId = "till-1" }), HttpStatusCode.Created);
        Assert.Equal((other.StoreId, "till-1"), (issued["storeId"]!.GetValue<string>(), issued["tillId"]!.GetValue<string>()));
        Assert.StartsWith("tl_", issued["key"]!.GetValue<string>(), StringComparison.Ordinal);
        using var tillClient = Host.CreateClient(issued["key"]!.GetValue<string>());
        var basket = new { code, lines = new[] { new { brand = "b", amount = 1 } } };

        // In its own store the till does the till's work.
        var bought = await Scenario.Expect(await tillClient.PostAsJsonAsync($"/api/v1/stores/{other.StoreId}/purchases", basket), HttpStatusCode.Created);
        Assert.Equal(shopper.ShopperId, bought["shopperId"]!.GetValue<string>());
        await Scenario.Expect(await tillClient.PostAsJsonAsync($"/api/v1/stores/{other.StoreId}/redemptions", new { code }), HttpStatusCode.OK);

        // Another store does not exist for it, even with a good code of that store, and nothing else of the operator's is open to it.
        await store.CreateOfferAsync("dairy");
        var neighbour = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(neighbour));
        using var neighbourApp = Host.CreateClient(neighbour.Token);
        var theirCode = (await Scenario.Expect(await neighbourApp.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();
        await Scenario.ExpectProblem(await tillClient.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", basket with { code = theirCode }), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await tillClient.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = theirCode }), HttpStatusCode.NotFound);
        await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = theirCode }), HttpStatusCode.OK);
        await Scenario.ExpectProblem(await tillClient.GetAsync($"/api/v1/stores/{other.StoreId}"), HttpStatusCode.Forbidden);
        await Scenario.ExpectProblem(await tillClient.GetAsync($"/api/v1/stores/{other.StoreId}/live"), HttpStatusCode.Forbidden);
        await Scenario.ExpectProblem(await tillClient.PostAsJsonAsync($"/api/v1/stores/{other.StoreId}/tills", new { tillId = "till-2" }), HttpStatusCode.Forbidden);
        using var gateway = Host.CreateClient(other.GatewayKeys["gw-dairy"]);
        await Scenario.ExpectProblem(await gateway.PostAsJsonAsync($"/api/v1/stores/{other.StoreId}/purchases", basket), HttpStatusCode.Forbidden);

        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync("/api/v1/stores/no-such-store/tills", new { tillId = "till-1" }), HttpStatusCode.NotFound);
        var detail = await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/tills", new { tillId = "no spaces" }), HttpStatusCode.BadRequest);
        Assert.Contains("tillId", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_store_shows_shoppers_per_zone_gateways_and_coupons_per_minute()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("snacks");
        var shopper = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));

        var live = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/live"), HttpStatusCode.OK),
            l => l["couponsPerMinute"]!.AsArray().Sum(m => m!["coupons"]!.GetValue<int>()) == 1 && Zone(l, "snacks") == 1,
            what: "the store's live view to show the coupon");

        Assert.Equal((0, 1), (Zone(live, "dairy"), Zone(live, "snacks")));
        var gateways = live["gateways"]!.AsArray().ToDictionary(g => g!["gatewayId"]!.GetValue<string>(), g => g!["lastSeenAt"]);
        Assert.NotNull(gateways["gw-snacks"]);
        Assert.Null(gateways["gw-dairy"]);
        Assert.Equal(30, live["couponsPerMinute"]!.AsArray().Count);
        Assert.Equal(1, live["couponsPerMinute"]!.AsArray().Sum(m => m!["coupons"]!.GetValue<int>()));
        Assert.DoesNotContain(shopper.ShopperId, live.ToJsonString(), StringComparison.Ordinal);

        // Brands see the floor plan, not the live store; shoppers see neither.
        var plan = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/stores/{store.StoreId}/zones"), HttpStatusCode.OK);
        Assert.Equal(["dairy", "snacks"], plan["zones"]!.AsArray().Select(z => z!["id"]!.GetValue<string>()));
        await Scenario.ExpectProblem(await store.Brands["brand-a"].GetAsync($"/api/v1/stores/{store.StoreId}/live"), HttpStatusCode.Forbidden);
        using var me = Host.CreateClient(shopper.Token);
        await Scenario.ExpectProblem(await me.GetAsync($"/api/v1/stores/{store.StoreId}/zones"), HttpStatusCode.Forbidden);
        await Scenario.ExpectProblem(await store.Admin.GetAsync("/api/v1/stores/no-such-store/live"), HttpStatusCode.NotFound);

        static int Zone(JsonObject live, string zoneId) =>
            live["zones"]!.AsArray().Single(z => z!["zoneId"]!.GetValue<string>() == zoneId)!["shoppers"]!.GetValue<int>();
    }
}
