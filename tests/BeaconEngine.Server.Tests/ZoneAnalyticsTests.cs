using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Rules.Analytics;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// Zone analytics on a real server: shoppers walk dairy → snacks → dairy through gateway batches, get, open and
/// redeem coupons; the figures are checked against their trails, a brand never sees a count under 5, CSV, and
/// bad queries.
/// </summary>
[Collection(SharedEngineA.Name)]
public sealed class ZoneAnalyticsTests(EngineFixture fixture)
{
    private static readonly string[] Counts = ["footfall", "stays", "passed", "dwelt", "offered", "opened", "redeemed", "shoppers", "moves"];

    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task Footfall_dwell_funnel_and_transitions_match_the_shoppers_trails_and_a_brand_sees_no_count_under_5()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("snacks", title: "Crisps");
        var (shoppers, route) = await WalkAsync(store, 6);

        // Three open their coupon in the app; one redeems it at the till.
        for (var i = 0; i < 3; i++)
        {
            await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, shoppers[i].Token);
            var coupon = await phone.NextCouponAsync();
            await phone.AckAsync(coupon.CouponId!);
            if (i == 0)
            {
                await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupon.Code }), HttpStatusCode.OK);
            }
        }

        // The stays and stages arrive one-way: wait until all have landed.
        var report = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync(route), HttpStatusCode.OK),
            r => Zone(r, "dairy")["stays"]!.GetValue<long>() == 6 && Zone(r, "snacks")["stays"]!.GetValue<long>() == 6
                && Zone(r, "snacks")["funnel"]!["opened"]!.GetValue<long>() == 3 && Zone(r, "snacks")["funnel"]!["redeemed"]!.GetValue<long>() == 1,
            what: "every stay, coupon, opening and redemption");

        // The expected figures, computed from the trails the engine kept.
        var stays = new Dictionary<string, List<double>> { ["dairy"] = [], ["snacks"] = [] };
        foreach (var shopper in shoppers)
        {
            var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
            var zones = trail["transitions"]!.AsArray().Where(t => t!["zoneId"] is not null).ToList();
            Assert.Equal(["dairy", "snacks", "dairy"], zones.Select(t => t!["zoneId"]!.GetValue<string>()));
            foreach (var closed in zones.Where(t => t!["exitedAt"] is not null))
            {
                stays[closed!["zoneId"]!.GetValue<string>()].Add(
                    (closed["exitedAt"]!.GetValue<DateTimeOffset>() - closed["enteredAt"]!.GetValue<DateTimeOffset>()).TotalSeconds);
            }
        }

        Assert.Equal("operator", report["audience"]!.GetValue<string>());
        foreach (var (zoneId, seconds) in stays)
        {
            var zone = Zone(report, zoneId);
            Assert.Equal(6, seconds.Count);
            Assert.Equal(6, zone["footfall"]!.GetValue<long>());
            Assert.Equal(6, zone["funnel"]!["passed"]!.GetValue<long>());
            Assert.Equal(Sketched(seconds, 0.5), zone["dwellMedianSeconds"]!.GetValue<double>(), 9);
            Assert.Equal(Sketched(seconds, 0.9), zone["dwellP90Seconds"]!.GetValue<double>(), 9);
            Assert.Equal(seconds.Count(s => s >= 30), zone["funnel"]!["dwelt"]!.GetValue<long>());
        }

        var snacks = Zone(report, "snacks")["funnel"]!;
        Assert.Equal((6L, 3L, 1L), (snacks["offered"]!.GetValue<long>(), snacks["opened"]!.GetValue<long>(), snacks["redeemed"]!.GetValue<long>()));
        Assert.Equal(0, Zone(report, "dairy")["funnel"]!["offered"]!.GetValue<long>());
        Assert.Equal(6, report["hours"]!.AsArray().Where(h => h!["zoneId"]!.GetValue<string>() == "snacks").Sum(h => h!["stays"]!.GetValue<long>()));
        Assert.Equal(
            ["dairy>snacks 6 6", "snacks>dairy 6 6"],
            report["transitions"]!.AsArray().Select(t => $"{t!["fromZoneId"]}>{t["toZoneId"]} {t["shoppers"]} {t["moves"]}").Order(StringComparer.Ordinal));

        // The brand: only snacks (its offer's zone), its own coupons, and the counts under 5 suppressed.
        var brand = store.Brands["brand-a"];
        var seen = await Scenario.Expect(await brand.GetAsync(route), HttpStatusCode.OK);
        Assert.Equal(("brand", 5), (seen["audience"]!.GetValue<string>(), seen["minimumShoppers"]!.GetValue<int>()));
        var brandSnacks = Assert.Single(seen["zones"]!.AsArray())!;
        Assert.Equal("snacks", brandSnacks["zoneId"]!.GetValue<string>());
        Assert.Equal(6, brandSnacks["footfall"]!.GetValue<long>());
        Assert.Equal(6, brandSnacks["funnel"]!["offered"]!.GetValue<long>());
        Assert.Null(brandSnacks["funnel"]!["opened"]);
        Assert.Null(brandSnacks["funnel"]!["redeemed"]);
        Assert.Contains("funnel.opened", brandSnacks["suppressed"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains("funnel.redeemed", brandSnacks["suppressed"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(2, seen["transitions"]!.AsArray().Count);
        AssertNoCountUnder5(seen);

        // Every store route a brand may read, found in the app's own endpoints (so a route added later is
        // covered): none answers it a count under 5.
        var storeRoutes = (await RouteCatalog.ReadAsync(Host.Services))
            .Where(r => r.Method == "GET" && r.Pattern.StartsWith("/api/v1/stores/{storeId}", StringComparison.Ordinal)
                && r.Parameters.SequenceEqual(["storeId"]) && (r.Anonymous || r.Roles.Contains("brand")))
            .ToList();
        Assert.Contains(storeRoutes, r => r.Pattern == "/api/v1/stores/{storeId}/analytics/zones");
        foreach (var storeRoute in storeRoutes)
        {
            var answer = await brand.GetAsync(storeRoute.Fill(_ => store.StoreId));
            if (answer.StatusCode == HttpStatusCode.OK && answer.Content.Headers.ContentType?.MediaType == "application/json")
            {
                AssertNoCountUnder5(JsonNode.Parse(await answer.Content.ReadAsStringAsync()));
            }
        }

        // Every offer route a brand may read (its stats among them) hides the same small counts: each zone, hour
        // and group count the operator sees from 1 to 4 is null for the brand and named; the rest are equal.
        var offerId = (await Scenario.Expect(await brand.GetAsync("/api/v1/offers"), HttpStatusCode.OK))["offers"]!.AsArray().Single()!["offerId"]!.GetValue<string>();
        var statsRoute = $"/api/v1/offers/{offerId}/stats";
        var exact = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync(statsRoute), HttpStatusCode.OK),
            s => s["redeemed"]!.GetValue<long>() == 1 && s["byZone"]!.AsArray().Sum(z => z!["redeemed"]!.GetValue<long>()) == 1,
            what: "the offer's redemption in its results");
        Assert.Equal(("operator", 1L, 6L), (exact["audience"]!.GetValue<string>(), exact["byZone"]![0]!["redeemed"]!.GetValue<long>(), exact["byZone"]![0]!["issued"]!.GetValue<long>()));
        var offerRoutes = (await RouteCatalog.ReadAsync(Host.Services))
            .Where(r => r.Method == "GET" && r.Parameters.SequenceEqual(["offerId"]) && (r.Anonymous || r.Roles.Contains("brand")))
            .ToList();
        Assert.Contains(offerRoutes, r => r.Pattern == "/api/v1/offers/{offerId}/stats");
        foreach (var offerRoute in offerRoutes)
        {
            var answer = await brand.GetAsync(offerRoute.Fill(_ => offerId));
            if (answer.StatusCode == HttpStatusCode.OK && answer.Content.Headers.ContentType?.MediaType == "application/json")
            {
                AssertNoZoneOrGroupCountUnder5(JsonNode.Parse(await answer.Content.ReadAsStringAsync()));
            }
        }

        var brandStats = await Scenario.Expect(await brand.GetAsync(statsRoute), HttpStatusCode.OK);
        Assert.Equal(("brand", 5), (brandStats["audience"]!.GetValue<string>(), brandStats["minimumShoppers"]!.GetValue<int>()));
        AssertSuppressedWhereSmall(exact["byZone"]![0]!, brandStats["byZone"]![0]!);
        Assert.Null(brandStats["byZone"]![0]!["redeemed"]);
        Assert.Equal(6, brandStats["byZone"]![0]!["issued"]!.GetValue<long>());

        // The contract's totals are the offer's own, not a zone's: exact for the brand too.
        foreach (var total in new[] { "issued", "delivered", "dismissed", "redeemed" })
        {
            Assert.Equal(exact[total]!.GetValue<long>(), brandStats[total]!.GetValue<long>());
        }

        // With a threshold no stay reaches, nobody dwelt: suppressed for the brand too.
        var strict = await Scenario.Expect(await brand.GetAsync(route + "&dwellSeconds=3600"), HttpStatusCode.OK);
        Assert.Null(strict["zones"]![0]!["funnel"]!["dwelt"]);
        Assert.Equal(0, Zone(await Scenario.Expect(await store.Admin.GetAsync(route + "&dwellSeconds=3600"), HttpStatusCode.OK), "snacks")["funnel"]!["dwelt"]!.GetValue<long>());
        AssertNoCountUnder5(strict);

        // CSV, asked for either way: one row per zone over the range, then per zone and hour; suppressed cells empty and named.
        var csv = await (await brand.GetAsync(route + "&format=csv")).Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("period,zoneId,zoneName,footfall,stays,dwellMedianSeconds,dwellP90Seconds,passed,dwelt30s,offered,opened,redeemed,suppressed", lines[0]);
        var all = lines[1].Split(',');
        Assert.Equal(["all", "snacks", "Snacks", "6", "6"], all[..5]);
        Assert.Equal(["6", "", "", "funnel.opened funnel.redeemed"], all[9..]);
        foreach (var line in lines.Skip(1))
        {
            // The counts (not the dwell times) are empty or at least 5.
            var cells = line.Split(',');
            Assert.All(new[] { 3, 4, 7, 8, 9, 10, 11 }.Select(i => cells[i]).Where(c => c.Length > 0), c => Assert.True(long.Parse(c, CultureInfo.InvariantCulture) >= 5, line));
        }

        using var asked = new HttpRequestMessage(HttpMethod.Get, route);
        asked.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var operatorCsv = await store.Admin.SendAsync(asked);
        Assert.Equal("text/csv", operatorCsv.Content.Headers.ContentType?.MediaType);
        var operatorLines = (await operatorCsv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(operatorLines, l => l.StartsWith("all,snacks,Snacks,6,6,", StringComparison.Ordinal) && l.EndsWith(",6,3,1,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_brand_sees_no_figure_of_a_zone_fewer_than_5_shoppers_passed()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("snacks", title: "Crisps");
        var (_, route) = await WalkAsync(store, 3);
        await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync(route), HttpStatusCode.OK),
            r => Zone(r, "snacks")["stays"]!.GetValue<long>() == 3 && Zone(r, "snacks")["funnel"]!["offered"]!.GetValue<long>() == 3,
            what: "the three shoppers' stays and coupons");

        var seen = await Scenario.Expect(await store.Brands["brand-a"].GetAsync(route), HttpStatusCode.OK);
        var snacks = Assert.Single(seen["zones"]!.AsArray())!;
        foreach (var figure in new[] { "footfall", "stays", "dwellMedianSeconds", "dwellP90Seconds" })
        {
            Assert.Null(snacks[figure]);
            Assert.Contains(figure, snacks["suppressed"]!.AsArray().Select(s => s!.GetValue<string>()));
        }

        Assert.All(seen["hours"]!.AsArray(), h => Assert.Null(h!["footfall"]));
        Assert.Empty(seen["transitions"]!.AsArray());
        AssertNoCountUnder5(seen);
        var csv = await (await store.Brands["brand-a"].GetAsync(route + "&format=csv")).Content.ReadAsStringAsync();
        Assert.All(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1), l => Assert.Equal(["", "", "", "", "", "", "", "", ""], l.Split(',')[3..12]));

        // The offer's stats: three treated shoppers, so the lift's group and everything worked out from it is
        // hidden from the brand, with the verdict saying why; the operator sees 3.
        var offerId = (await Scenario.Expect(await store.Brands["brand-a"].GetAsync("/api/v1/offers"), HttpStatusCode.OK))["offers"]!.AsArray().Single()!["offerId"]!.GetValue<string>();
        var exact = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK),
            s => s["lift"]!["treated"]!["shoppers"]!.GetValue<long>() == 3 && s["byZone"]!.AsArray().Sum(z => z!["issued"]!.GetValue<long>()) == 3,
            what: "the three coupons in the offer's results");
        Assert.Equal((3L, 0L, 3L), (exact["lift"]!["treated"]!["shoppers"]!.GetValue<long>(), exact["lift"]!["control"]!["shoppers"]!.GetValue<long>(), exact["revenueLift"]!["treatedShoppers"]!.GetValue<long>()));
        Assert.Empty(exact["lift"]!["suppressed"]!.AsArray());
        var stats = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        AssertNoZoneOrGroupCountUnder5(stats);
        var lift = stats["lift"]!;
        Assert.Equal((0L, 0L), (lift["control"]!["shoppers"]!.GetValue<long>(), lift["control"]!["buyers"]!.GetValue<long>()));
        foreach (var figure in new[] { "treated.shoppers", "treated.rate", "difference", "low", "high", "anytimeLow", "anytimeHigh" })
        {
            Assert.Contains(figure, lift["suppressed"]!.AsArray().Select(s => s!.GetValue<string>()));
        }

        Assert.All(new[] { "difference", "low", "high", "anytimeLow", "anytimeHigh", "significantAnytime" }, f => Assert.Null(lift[f]));
        Assert.Null(lift["treated"]!["rate"]);
        Assert.StartsWith("Too few shoppers to show", lift["verdict"]!.GetValue<string>(), StringComparison.Ordinal);
        var revenue = stats["revenueLift"]!;
        Assert.All(new[] { "treatedShoppers", "treatedPerShopper", "controlPerShopper", "difference", "incrementalRevenue" }, f => Assert.Null(revenue[f]));
        Assert.Contains("treatedShoppers", revenue["suppressed"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.StartsWith("Too few shoppers to show", revenue["verdict"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, stats["issued"]!.GetValue<long>());
        AssertSuppressedWhereSmall(exact["byZone"]![0]!, stats["byZone"]![0]!);

        // A brand with no offer in the store sees none of its zones.
        var other = await store.RegisterBrandAsync("brand-b");
        var none = await Scenario.Expect(await other.GetAsync(route), HttpStatusCode.OK);
        Assert.Empty(none["zones"]!.AsArray());
        Assert.Empty(none["hours"]!.AsArray());
    }

    [Fact]
    public async Task Bad_queries_are_problems_that_name_the_field()
    {
        using var store = await Scenario.CreateAsync(Host);
        var route = $"/api/v1/stores/{store.StoreId}/analytics/zones";
        var cases = new (string Query, string Says)[]
        {
            ("?from=yesterday", "'from' must be a date and time in ISO 8601"),
            ("?to=13:99", "'to' must be a date and time in ISO 8601"),
            ("?from=2026-12-03T10:00:00Z&to=2026-12-03T09:00:00Z", "'to' (2026-12-03T09:00:00Z) must be later than 'from'"),
            ("?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z", "'to' may be at most 7 days after 'from'"),
            ("?dwellSeconds=0", "'dwellSeconds' must be a whole number of seconds from 1 to 3600"),
            ("?dwellSeconds=ten", "'dwellSeconds' must be a whole number of seconds from 1 to 3600 (got 'ten')"),
            ("?dwellSeconds=-5", "'dwellSeconds' must be a whole number"),
            ("?format=xml", "'format' must be 'json' or 'csv' (got 'xml')"),
        };
        foreach (var (query, says) in cases)
        {
            var detail = await Scenario.ExpectProblem(await store.Admin.GetAsync(route + query), HttpStatusCode.BadRequest);
            Assert.Contains(says, detail, StringComparison.Ordinal);
        }

        await Scenario.ExpectProblem(await store.Admin.GetAsync("/api/v1/stores/no-such-store/analytics/zones"), HttpStatusCode.NotFound);

        // The calendar's last hour and first: read, not a server error.
        var last = await Scenario.Expect(await store.Admin.GetAsync(route + "?from=9999-12-31T23:00:00Z&to=9999-12-31T23:59:59Z"), HttpStatusCode.OK);
        Assert.Empty(last["hours"]!.AsArray());
        await Scenario.Expect(await store.Admin.GetAsync(route + "?from=0001-01-01T00:00:00Z&to=0001-01-01T00:30:00Z"), HttpStatusCode.OK);
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync(route)).StatusCode);

        // Left out: the last 24 hours, dwelling 30 s, as JSON.
        var empty = await Scenario.Expect(await store.Admin.GetAsync(route), HttpStatusCode.OK);
        Assert.Equal(24, (empty["to"]!.GetValue<DateTimeOffset>() - empty["from"]!.GetValue<DateTimeOffset>()).TotalHours, 6);
        Assert.Equal(30, empty["dwellSeconds"]!.GetValue<int>());
        Assert.Equal(["dairy", "snacks"], empty["zones"]!.AsArray().Select(z => z!["zoneId"]!.GetValue<string>()));
        Assert.Equal(0, empty["zones"]![0]!["footfall"]!.GetValue<long>());
    }

    /// <summary>
    /// Each shopper: dairy, then snacks 20 + 8i seconds later (its offer's coupon), then back to dairy 30 s after
    /// that. All within the last two minutes, so the coupons still fire. Returns the shoppers and the report's route.
    /// </summary>
    private static async Task<(List<EnrolledShopper> Shoppers, string Route)> WalkAsync(Scenario store, int count)
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-110);
        var shoppers = new List<EnrolledShopper>();
        for (var i = 0; i < count; i++)
        {
            var shopper = await store.EnrolAsync();
            var snacksAt = start.AddSeconds(20 + (8 * i));
            await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, start));
            await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, snacksAt, rssi: -55));
            await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, snacksAt.AddSeconds(30), rssi: -50));
            shoppers.Add(shopper);
        }

        var from = Uri.EscapeDataString(start.AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture));
        return (shoppers, $"/api/v1/stores/{store.StoreId}/analytics/zones?from={from}&to={to}");
    }

    private static JsonNode Zone(JsonObject report, string zoneId) =>
        report["zones"]!.AsArray().Single(z => z!["zoneId"]!.GetValue<string>() == zoneId)!;

    /// <summary>The nearest-rank quantile of the exact stays, read as the sketch reads its bucket, to 0.1 s.</summary>
    private static double Sketched(List<double> seconds, double q)
    {
        var sorted = seconds.Order().ToList();
        var exact = sorted[(int)Math.Max(1, Math.Ceiling(q * sorted.Count)) - 1];
        return Math.Round(DwellSketch.ValueOf(DwellSketch.BucketOf(exact)), 1);
    }

    /// <summary>
    /// In an offer's results, every zone, hour and group count a brand gets is null (suppressed), 0 or at least 5:
    /// each figure of <c>byZone</c> and <c>byHour</c>, the lift's groups, the revenue lift's group sizes and <c>heldOut</c>.
    /// </summary>
    private static void AssertNoZoneOrGroupCountUnder5(JsonNode? stats)
    {
        if (stats is not JsonObject o || !o.ContainsKey("byZone"))
        {
            return;
        }

        void Small(JsonNode? value, string what)
        {
            if (value is JsonValue v && v.TryGetValue<long>(out var n))
            {
                Assert.False(n is > 0 and < 5, $"{what} is {n} for a brand");
            }
        }

        // Triggered = issued + held out: with one part hidden and the other shown, the whole would give it away.
        void NoDifference(JsonNode row, string what)
        {
            if ((row["heldOut"] is null) != (row["issued"] is null))
            {
                Assert.True(row["triggered"] is null || row["triggered"]!.GetValue<long>() == 0, $"{what}: 'triggered' gives a hidden part away");
            }
        }

        foreach (var row in o["byZone"]!.AsArray().Concat(o["byHour"]!.AsArray()))
        {
            foreach (var (name, value) in row!.AsObject())
            {
                Small(value, $"'{name}' of {row["zoneId"] ?? row["hour"]}");
            }

            NoDifference(row, $"{row["zoneId"] ?? row["hour"]}");
        }

        NoDifference(o, "the offer");

        foreach (var group in new[] { "treated", "control" })
        {
            Small(o["lift"]![group]!["shoppers"], $"lift.{group}.shoppers");
            Small(o["lift"]![group]!["buyers"], $"lift.{group}.buyers");
            Small(o["revenueLift"]![$"{group}Shoppers"], $"revenueLift.{group}Shoppers");
        }

        Small(o["heldOut"], "heldOut");
    }

    /// <summary>The brand's row holds the operator's figures, except each from 1 to 4, which is null and named in its <c>suppressed</c>.</summary>
    private static void AssertSuppressedWhereSmall(JsonNode exact, JsonNode brand)
    {
        var named = brand["suppressed"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        foreach (var (name, value) in exact.AsObject())
        {
            if (value is JsonValue v && v.TryGetValue<long>(out var n))
            {
                if (n is > 0 and < 5)
                {
                    Assert.Null(brand[name]);
                    Assert.Contains(name, named);
                }
                else if (name == "triggered" && brand[name] is null)
                {
                    // Hidden with its parts: exactly one of them is hidden.
                    Assert.Contains(name, named);
                    Assert.True((brand["heldOut"] is null) != (brand["issued"] is null), "'triggered' hidden although no part of it is");
                }
                else
                {
                    Assert.Equal(n, brand[name]!.GetValue<long>());
                }
            }
        }
    }

    /// <summary>Every count a brand gets, anywhere in the answer, is null (suppressed) or at least 5.</summary>
    private static void AssertNoCountUnder5(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    if (Counts.Contains(name) && value is JsonValue v)
                    {
                        Assert.True(v.GetValue<long>() >= 5, $"'{name}' is {v} for a brand");
                    }

                    AssertNoCountUnder5(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    AssertNoCountUnder5(item);
                }

                break;
        }
    }
}
