using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>The rules core as brands and operators meet it: targeting fields, control groups, learning and explanations.</summary>
[Collection(SharedEngineB.Name)]
public sealed class RulesThroughTheServerTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task Targeting_fields_round_trip_and_bad_ones_are_named()
    {
        using var store = await Scenario.CreateAsync(Host);
        var brand = store.Brands["brand-a"];
        var body = new
        {
            storeId = store.StoreId,
            zoneIds = new[] { "dairy" },
            title = "Weekday breakfast",
            discount = new { kind = "amount", value = 1 },
            category = "Yoghurt",
            trigger = "dwell",
            minDwellSeconds = 20,
            schedule = new { days = new[] { "monday", "Friday" }, from = "07:00", to = "10:30" },
            audience = new { segments = new[] { "Family" }, loyaltyTiers = new[] { "gold" }, minVisits = 2, visitors = "returning", requiresInterest = true },
            priority = 2.5,
            holdoutShare = 0.25,
            caps = new { maxCouponsToday = 1, minGapMinutes = 60, quietAfterDismissalMinutes = 1440 },
        };
        var created = await Scenario.Expect(await brand.PostAsJsonAsync("/api/v1/offers", body), HttpStatusCode.Created);
        var offer = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{created["offerId"]}"), HttpStatusCode.OK);

        Assert.Equal("yoghurt", offer["category"]!.GetValue<string>());
        Assert.Equal("dwell", offer["trigger"]!.GetValue<string>());
        Assert.Equal(["monday", "friday"], offer["schedule"]!["days"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal("10:30", offer["schedule"]!["to"]!.GetValue<string>());
        Assert.Equal("family", offer["audience"]!["segments"]![0]!.GetValue<string>());
        Assert.Equal("returning", offer["audience"]!["visitors"]!.GetValue<string>());
        Assert.Equal(2.5, offer["priority"]!.GetValue<double>());
        Assert.Equal(0.25, offer["holdoutShare"]!.GetValue<double>());
        Assert.Equal((1, 60.0, 1440.0), (offer["caps"]!["maxCouponsToday"]!.GetValue<int>(), offer["caps"]!["minGapMinutes"]!.GetValue<double>(), offer["caps"]!["quietAfterDismissalMinutes"]!.GetValue<double>()));

        foreach (var (field, value) in new (string, object)[]
        {
            ("trigger", "lunch"),
            ("holdoutShare", 0.9),
            ("priority", 0),
            ("schedule", new { from = "25:00" }),
            ("schedule", new { days = new[] { "someday" } }),
            ("audience", new { visitors = "everyone" }),
            ("schedule", new { from = "09:00", to = "09:00" }),
            ("audience", new { minVisits = 5, maxVisits = 2 }),
            ("minDwellSeconds", 30),
            ("caps", new { minGapMinutes = -5 }),
        })
        {
            var bad = new Dictionary<string, object>
            {
                ["storeId"] = store.StoreId,
                ["zoneIds"] = new[] { "dairy" },
                ["title"] = "x",
                ["discount"] = new { kind = "percent", value = 5 },
                [field] = value,
            };
            if (field == "minDwellSeconds")
            {
                bad["trigger"] = "enter";
            }

            var detail = await Scenario.ExpectProblem(await brand.PostAsJsonAsync("/api/v1/offers", bad), HttpStatusCode.BadRequest);
            Assert.Contains(field, detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_control_group_gets_no_coupon_and_is_counted()
    {
        using var store = await Scenario.CreateAsync(Host);
        var offerId = await store.CreateOfferAsync("snacks", extra: new { holdoutShare = 0.5 });
        var shoppers = new List<EnrolledShopper>();
        for (var i = 0; i < 16; i++)
        {
            shoppers.Add(await store.EnrolAsync());
        }

        var withCoupon = 0;
        foreach (var shopper in shoppers)
        {
            await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
            using var me = Host.CreateClient(shopper.Token);
            withCoupon += (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray().Count;
        }

        var stats = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        // The operator: a brand would not see a control group of 2 to 4 (it is suppressed under 5).
        var heldOut = stats["heldOut"]!.GetValue<long>();
        Assert.Equal(16, withCoupon + heldOut);
        Assert.Equal(withCoupon, stats["issued"]!.GetValue<long>());
        Assert.InRange(heldOut, 2, 14);

        // A held-out shopper stays in the control group: more sightings bring no coupon.
        foreach (var shopper in shoppers)
        {
            await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, DateTimeOffset.UtcNow.AddSeconds(5)));
        }

        stats = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        Assert.Equal((withCoupon, heldOut), (stats["issued"]!.GetValue<long>(), stats["heldOut"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Explain_shows_the_contact_limits_after_a_dismissal_and_each_candidates_outcome()
    {
        using var store = await Scenario.CreateAsync(Host);
        var cheese = await store.CreateOfferAsync("dairy", title: "Cheese", extra: new { category = "cheese", maxPerShopper = 5 });
        var milk = await store.CreateOfferAsync("dairy", title: "Milk", extra: new { category = "milk", minDwellSeconds = 60 });
        var shopper = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, shopper.Token);

        // The cheese offer fires on entering; the shopper dismisses it.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        var first = await phone.NextCouponAsync();
        Assert.Equal(cheese, first.OfferId);
        await phone.DismissAsync(first.CouponId!);

        // Right after a coupon the minimum gap holds; six minutes on, the quiet time after the dismissal.
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("minGap", (await ExplainAsync(store, shopper, "enter", 0, now))["blockedBy"]!.GetValue<string>());
        var quiet = await Scenario.Expect(await store.Admin.GetAsync(
            $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId=dairy&trigger=enter&at={now.AddMinutes(6).ToUnixTimeMilliseconds()}"), HttpStatusCode.OK);
        Assert.Equal(("none", "quietAfterDismissal"), (quiet["decision"]!.GetValue<string>(), quiet["blockedBy"]!.GetValue<string>()));

        // Two hours on, the cheese offer (5 per shopper) could fire again, and the milk offer waits for its dwell.
        var later = await ExplainAsync(store, shopper, "dwell", 30, now.AddHours(2));
        var outcomes = later["candidates"]!.AsArray().ToDictionary(c => c!["offerId"]!.GetValue<string>(), c => c!["outcome"]!.GetValue<string>());
        Assert.Equal("dwellTooShort", outcomes[milk]);
        var enter = await ExplainAsync(store, shopper, "enter", 0, now.AddHours(2));
        Assert.Equal(("issue", cheese), (enter["decision"]!.GetValue<string>(), enter["offerId"]!.GetValue<string>()));
        Assert.NotNull(enter["candidates"]![0]!["score"]);
    }

    [Fact]
    public async Task A_shopper_who_dismisses_a_category_twice_gets_no_more_of_it()
    {
        using var store = await Scenario.CreateAsync(Host);
        var zones = new object[] { new { id = "dairy", neighbors = new[] { "snacks" } }, new { id = "snacks" } };
        var layout = await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new
        {
            name = "No gaps",
            zones,
            contactPolicy = new { maxCouponsPerDay = 50, minGapMinutes = 0, quietAfterDismissalMinutes = 0 },
        }), HttpStatusCode.OK);
        Assert.Equal(0, layout["contactPolicy"]!["minGapMinutes"]!.GetValue<double>());
        Assert.Equal(2, layout["contactPolicy"]!["dismissalsToExcludeCategory"]!.GetValue<int>());

        var cheeses = new[]
        {
            await store.CreateOfferAsync("dairy", title: "Cheese A", extra: new { category = "cheese", minDwellSeconds = 1, maxPerShopper = 10 }),
            await store.CreateOfferAsync("dairy", title: "Cheese B", extra: new { category = "cheese", minDwellSeconds = 1, maxPerShopper = 10 }),
        };
        await store.CreateOfferAsync("dairy", title: "Milk", extra: new { category = "milk", minDwellSeconds = 1, maxPerShopper = 10 });
        var shopper = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, shopper.Token);
        using var me = Host.CreateClient(shopper.Token);

        // Every batch in the aisle is a dwell event; the shopper dismisses every cheese coupon.
        var start = DateTimeOffset.UtcNow.AddSeconds(-90);
        var seen = new HashSet<string>();
        var cheeseDismissals = 0;
        var cheeseAfter = 0;
        for (var i = 0; i < 25; i++)
        {
            await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, start.AddSeconds(3 * i)));
            var wallet = await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
            foreach (var coupon in wallet["coupons"]!.AsArray())
            {
                var id = coupon!["couponId"]!.GetValue<string>();
                if (!seen.Add(id) || !coupon["title"]!.GetValue<string>().StartsWith("Cheese", StringComparison.Ordinal))
                {
                    continue;
                }

                if (cheeseDismissals == 2)
                {
                    cheeseAfter++;
                }

                await phone.DismissAsync(id);
                cheeseDismissals++;
            }
        }

        Assert.True(cheeseDismissals >= 2, $"only {cheeseDismissals} cheese coupons in 25 batches");
        Assert.Equal(0, cheeseAfter);
        var explanation = await Scenario.Expect(await store.Admin.GetAsync(
            $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId=dairy&trigger=dwell&dwellSeconds=30"), HttpStatusCode.OK);
        foreach (var cheese in cheeses)
        {
            var candidate = explanation["candidates"]!.AsArray().Single(c => c!["offerId"]!.GetValue<string>() == cheese)!;
            Assert.Equal("dismissedCategory", candidate["outcome"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_exit_offer_answers_a_shopper_leaving_the_zone()
    {
        using var store = await Scenario.CreateAsync(Host);
        var forgot = await store.CreateOfferAsync("dairy", title: "Forgot the milk?", extra: new { trigger = "exit", category = "milk" });
        var shopper = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, shopper.Token);
        using var me = Host.CreateClient(shopper.Token);
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-30);

        // In the dairy aisle: nothing yet.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, t0));
        Assert.Empty((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray());

        // Walking on to snacks leaves dairy: the exit offer answers.
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, t0.AddSeconds(10), rssi: -50));
        var coupon = await phone.NextCouponAsync();
        Assert.Equal((forgot, "dairy"), (coupon.OfferId, coupon.ZoneId));
    }

    private async Task<System.Text.Json.Nodes.JsonObject> ExplainAsync(Scenario store, EnrolledShopper shopper, string trigger, int dwellSeconds, DateTimeOffset at)
    {
        var url = $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId=dairy&trigger={trigger}&dwellSeconds={dwellSeconds}&at={Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}";
        return await Scenario.Expect(await store.Admin.GetAsync(url), HttpStatusCode.OK);
    }
}
