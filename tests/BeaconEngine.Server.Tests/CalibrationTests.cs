using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// Store calibration through the real server, as an installer does it: start a walk, mark zones while the
/// gateways hear the walk's device over POST /api/v1/sightings, fit, and the store's shoppers are placed with it.
/// </summary>
public sealed class CalibrationTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    // In snacks the snacks gateway hears weaker than the dairy one (it hangs behind a shelf): uncalibrated,
    // a shopper standing in snacks is placed in dairy. The walk teaches the store otherwise.
    private const double DairyInDairy = -55, SnacksInDairy = -75, DairyInSnacks = -58, SnacksInSnacks = -62;

    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_walk_marked_fitted_and_deleted_changes_where_the_stores_shoppers_are_placed()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy");
        await store.CreateOfferAsync("snacks", title: "Crisps");
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);

        var uncalibrated = await store.EnrolAsync();
        await StandInSnacksAsync(store, uncalibrated, t0);
        Assert.Equal("dairy", await ZoneOfAsync(store, uncalibrated));

        var walk = await CalibrationWalk.StartAsync(store.Admin, store.StoreId);
        var storeBody = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK);
        Assert.Equal(storeBody["beaconUuid"]!.GetValue<string>(), walk.Uuid);
        Assert.Equal(65535, walk.Major);
        Assert.NotEqual(uncalibrated.Major, walk.Major);

        var live = await LiveAsync(store);
        await WalkAsync(store, walk, t0.AddSeconds(30));

        var status = await walk.StatusAsync(store.Admin);
        Assert.Equal("open", status["status"]!.GetValue<string>());
        Assert.Equal(240, status["sightings"]!.GetValue<int>());
        Assert.Equal(3, status["marks"]!.AsArray().Count);
        Assert.Equal(120, status["labelledPerZone"]!["dairy"]!.GetValue<int>());
        Assert.False(status["active"]!.GetValue<bool>());

        // The walk's sightings made no shopper, no coupon and no count.
        Assert.Equal(live.ToJsonString(), (await LiveAsync(store)).ToJsonString());

        var report = await Scenario.Expect(await store.Admin.PostAsync($"{walk.Path}/fit", null), HttpStatusCode.OK);
        Assert.Equal(120, report["samplesPerZone"]!["dairy"]!.GetValue<int>());
        Assert.Equal(120, report["samplesPerZone"]!["snacks"]!.GetValue<int>());
        Assert.Empty(report["zonesNotCovered"]!.AsArray());
        Assert.Equal(SnacksInSnacks - DairyInSnacks, -report["gatewayCorrections"]!["gw-snacks"]!.GetValue<double>());
        Assert.Equal(0, report["gatewayCorrections"]!["gw-dairy"]!.GetValue<double>());
        Assert.True(report["accuracyAfter"]!.GetValue<double>() > report["accuracyBefore"]!.GetValue<double>(), report.ToJsonString());
        Assert.Equal(120, report["moments"]!.GetValue<int>());

        // Each zone was walked for 30 s: the report says so, and asks for a longer walk of both.
        Assert.Equal((30, 30), (report["secondsPerZone"]!["dairy"]!.GetValue<int>(), report["secondsPerZone"]!["snacks"]!.GetValue<int>()));
        Assert.Equal(["dairy", "snacks"], report["zonesWalkedBriefly"]!.AsArray().Select(z => z!.GetValue<string>()));

        var active = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/calibration"), HttpStatusCode.OK);
        Assert.Equal(walk.CalibrationId, active["calibrationId"]!.GetValue<string>());
        Assert.Equal(["dairy", "snacks"], active["zonesCalibrated"]!.AsArray().Select(z => z!.GetValue<string>()));
        Assert.True((await walk.StatusAsync(store.Admin))["active"]!.GetValue<bool>());

        var calibrated = await store.EnrolAsync();
        await StandInSnacksAsync(store, calibrated, t0.AddSeconds(100));
        Assert.Equal("snacks", await ZoneOfAsync(store, calibrated));

        await Scenario.Expect(await store.Admin.DeleteAsync($"/api/v1/stores/{store.StoreId}/calibration"), HttpStatusCode.NoContent);
        await Scenario.ExpectProblem(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/calibration"), HttpStatusCode.NotFound);
        var again = await store.EnrolAsync();
        await StandInSnacksAsync(store, again, t0.AddSeconds(130));
        Assert.Equal("dairy", await ZoneOfAsync(store, again));

        // Ending the walk retires its device: its sightings are dropped like a stranger's.
        await Scenario.Expect(await store.Admin.DeleteAsync(walk.Path), HttpStatusCode.NoContent);
        var late = await store.PostSightingsAsync("gw-dairy", walk.Sightings(t0.AddSeconds(150), 4, -50));
        Assert.Equal((0, 4), (late["accepted"]!.GetValue<int>(), late["dropped"]!.GetValue<int>()));
        Assert.Equal("ended", (await walk.StatusAsync(store.Admin))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Positions_and_zone_shapes_are_kept_in_the_layout()
    {
        using var admin = Host.CreateClient(EngineHost.AdminKey);
        var storeId = $"floor-{Guid.NewGuid():N}"[..16];
        await Scenario.Expect(await admin.PutAsJsonAsync($"/api/v1/stores/{storeId}", new
        {
            name = "Floor",
            zones = new object[]
            {
                new { id = "a", neighbors = new[] { "b" }, shape = new { type = "rect", x = 0, y = 0, width = 4, height = 3 } },
                new { id = "b", shape = new { type = "polygon", points = new[] { new { x = 4.0, y = 0.0 }, new { x = 8.0, y = 0.0 }, new { x = 6.0, y = 3.5 } } } },
            },
        }), HttpStatusCode.OK);
        await Scenario.Expect(await admin.PostAsJsonAsync($"/api/v1/stores/{storeId}/gateways", new { gatewayId = "g1", zoneId = "a", position = new { x = 1.5, y = 2.25 } }), HttpStatusCode.Created);
        await Scenario.Expect(await admin.PostAsJsonAsync($"/api/v1/stores/{storeId}/gateways", new { gatewayId = "g2", zoneId = "b" }), HttpStatusCode.Created);

        var layout = await Scenario.Expect(await admin.GetAsync($"/api/v1/stores/{storeId}"), HttpStatusCode.OK);
        var zones = layout["zones"]!.AsArray();
        Assert.Equal("""{"type":"rect","points":null,"x":0,"y":0,"width":4,"height":3}""", zones[0]!["shape"]!.ToJsonString());
        Assert.Equal("polygon", zones[1]!["shape"]!["type"]!.GetValue<string>());
        Assert.Equal(3.5, zones[1]!["shape"]!["points"]![2]!["y"]!.GetValue<double>());
        var gateways = layout["gateways"]!.AsArray();
        Assert.Equal("""{"x":1.5,"y":2.25}""", gateways[0]!["position"]!.ToJsonString());
        Assert.Null(gateways[1]!["position"]);
    }

    [Fact]
    public async Task Bad_calibration_input_gets_a_problem_that_says_why()
    {
        using var store = await Scenario.CreateAsync(Host);
        using var other = await Scenario.CreateAsync(Host);
        var walk = await CalibrationWalk.StartAsync(store.Admin, store.StoreId);
        var marks = $"{walk.Path}/marks";

        Assert.Contains("no zone 'frozen'", await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(marks, new { zoneId = "frozen" }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'at'", await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(marks, new { zoneId = "dairy", at = DateTimeOffset.UtcNow.AddDays(-8).ToUnixTimeMilliseconds() }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("has no calibration", await Scenario.ExpectProblem(
            await store.Admin.PostAsJsonAsync($"/api/v1/stores/{other.StoreId}/calibrations/{walk.CalibrationId}/marks", new { zoneId = "dairy" }), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("no marks", await Scenario.ExpectProblem(await store.Admin.PostAsync($"{walk.Path}/fit", null), HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        await walk.MarkAsync(store.Admin, "dairy", DateTimeOffset.UtcNow.AddSeconds(-10));
        Assert.Contains("heard no sightings", await Scenario.ExpectProblem(await store.Admin.PostAsync($"{walk.Path}/fit", null), HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        await Scenario.ExpectProblem(await store.Admin.PostAsync($"/api/v1/stores/{store.StoreId}/calibrations/cal_nosuchwalk/fit", null), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.PostAsync("/api/v1/stores/no-such-store/calibrations", null), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/calibration"), HttpStatusCode.NotFound);

        // Only the operator calibrates.
        var brand = store.Brands["brand-a"];
        await Scenario.ExpectProblem(await brand.PostAsync($"/api/v1/stores/{store.StoreId}/calibrations", null), HttpStatusCode.Forbidden);
        using var shopper = Host.CreateClient((await store.EnrolAsync()).Token);
        await Scenario.ExpectProblem(await shopper.GetAsync(walk.Path), HttpStatusCode.Forbidden);

        // An ended walk takes nothing more; a store has at most 8 walks under way.
        await Scenario.Expect(await store.Admin.DeleteAsync(walk.Path), HttpStatusCode.NoContent);
        Assert.Contains("has ended", await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync(marks, new { zoneId = "dairy" }), HttpStatusCode.Conflict), StringComparison.Ordinal);
        for (var i = 0; i < 8; i++)
        {
            await CalibrationWalk.StartAsync(store.Admin, store.StoreId);
        }

        Assert.Contains("8 calibration walks", await Scenario.ExpectProblem(await store.Admin.PostAsync($"/api/v1/stores/{store.StoreId}/calibrations", null), HttpStatusCode.Conflict), StringComparison.Ordinal);

        // Positions and shapes are checked too.
        Assert.Contains("'position.x'", await Scenario.ExpectProblem(
            await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/gateways", new { gatewayId = "g9", zoneId = "dairy", position = new { y = 1 } }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'zones[0].shape.points'", await Scenario.ExpectProblem(
            await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new { name = "x", zones = new[] { new { id = "dairy", shape = new { type = "polygon", points = new[] { new { x = 0, y = 0 } } } } } }),
            HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    /// <summary>
    /// The installer walks dairy then snacks, 30 s each, marking each zone on arrival and the end; both gateways
    /// hear the device every half second.
    /// </summary>
    internal static async Task WalkAsync(Scenario store, CalibrationWalk walk, DateTimeOffset from)
    {
        await walk.MarkAsync(store.Admin, "dairy", from);
        await walk.MarkAsync(store.Admin, "snacks", from.AddSeconds(30));
        await walk.MarkAsync(store.Admin, null, from.AddSeconds(60));
        foreach (var (gateway, inDairy, inSnacks) in new[] { ("gw-dairy", DairyInDairy, DairyInSnacks), ("gw-snacks", SnacksInDairy, SnacksInSnacks) })
        {
            var sent = await store.PostSightingsAsync(gateway, [.. walk.Sightings(from, 60, inDairy), .. walk.Sightings(from.AddSeconds(30), 60, inSnacks)]);
            Assert.Equal((120, 0), (sent["accepted"]!.GetValue<int>(), sent["dropped"]!.GetValue<int>()));
        }
    }

    /// <summary>The shopper stands in snacks for 10 s; each gateway sends a batch a second.</summary>
    internal static async Task StandInSnacksAsync(Scenario store, EnrolledShopper shopper, DateTimeOffset from)
    {
        for (var s = 0; s < 10; s++)
        {
            foreach (var (gateway, rssi) in new[] { ("gw-dairy", DairyInSnacks), ("gw-snacks", SnacksInSnacks) })
            {
                await store.PostSightingsAsync(gateway, [.. Enumerable.Range(0, 2).Select(i => (object)new
                {
                    ts = from.AddSeconds(s).AddMilliseconds(500 * i).ToUnixTimeMilliseconds(),
                    rssi,
                    ibeacon = new { uuid = shopper.Uuid, major = shopper.Major, minor = shopper.Minor },
                })]);
            }
        }
    }

    internal static async Task<string?> ZoneOfAsync(Scenario store, EnrolledShopper shopper)
    {
        var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        return trail["transitions"]!.AsArray().LastOrDefault()?["zoneId"]?.GetValue<string>();
    }

    private static async Task<JsonObject> LiveAsync(Scenario store)
    {
        // Shoppers per zone and coupons issued: the store's counts, without the clock and the gateways' health.
        var live = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/live"), HttpStatusCode.OK);
        return new JsonObject
        {
            ["zones"] = live["zones"]!.DeepClone(),
            ["coupons"] = live["couponsPerMinute"]!.AsArray().Sum(m => m!["coupons"]!.GetValue<long>()),
        };
    }
}
