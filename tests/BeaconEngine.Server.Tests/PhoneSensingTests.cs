using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BeaconEngine.Server.Tests;

/// <summary>How the report reaches the server: the HTTP route, or the hub in either protocol.</summary>
public enum ReportChannel
{
    Http,
    HubJson,
    HubMessagePack,
}

/// <summary>
/// The phone hears the store: fixed beacons, the app's reports of what it ranged, fused with the gateways, over
/// real Kestrel and the real SignalR client.
/// </summary>
[Collection(SharedEngineA.Name)]
public sealed class PhoneSensingTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Theory]
    [InlineData(ReportChannel.Http)]
    [InlineData(ReportChannel.HubJson)]
    [InlineData(ReportChannel.HubMessagePack)]
    public async Task A_shopper_placed_only_by_their_phones_reports_gets_the_aisle_coupon_and_the_trail_says_phone(ReportChannel channel)
    {
        using var store = await Scenario.CreateAsync(Host);
        var beacons = await StoreBeacons.RegisterAsync(store);
        var offerId = await store.CreateOfferAsync("dairy");
        var alice = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, alice.Token, channel == ReportChannel.HubMessagePack ? HubProtocol.MessagePack : HubProtocol.Json);

        var now = DateTimeOffset.UtcNow;
        var report = new { sightings = beacons.Ranged("bk-dairy", now).Concat(beacons.Ranged("bk-snacks", now, rssi: -85)).ToArray() };
        var (accepted, dropped, rejected) = await SendAsync(channel, alice, phone, report);
        Assert.Equal((6, 0, 0), (accepted, dropped, rejected));

        var coupon = await phone.NextCouponAsync();
        Assert.Equal(offerId, coupon.OfferId);
        Assert.Equal("dairy", coupon.ZoneId);

        var stay = Assert.Single(await StoreBeacons.TrailAsync(store, alice));
        Assert.Equal("dairy", stay!["zoneId"]!.GetValue<string>());
        Assert.Equal("phone", stay["presence"]!.GetValue<string>());
    }

    [Fact]
    public async Task Gateway_and_phone_evidence_fuse_and_a_gateway_presence_offer_waits_for_a_gateway()
    {
        using var store = await Scenario.CreateAsync(Host);
        var beacons = await StoreBeacons.RegisterAsync(store);
        var offerId = await store.CreateOfferAsync("dairy", extra: new { trigger = "dwell", presence = "gateway" });
        var offer = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.OK);
        Assert.Equal("gateway", offer["presence"]!.GetValue<string>());
        var alice = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, alice.Token);
        using var aliceApi = Host.CreateClient(alice.Token);

        // The phone alone places her in dairy, but the offer wants the store's own radios to hear her there.
        var now = DateTimeOffset.UtcNow;
        await StoreBeacons.ReportAcceptedAsync(Host, alice, new { sightings = beacons.Ranged("bk-dairy", now) });
        Assert.Equal("phone", Assert.Single(await StoreBeacons.TrailAsync(store, alice))!["presence"]!.GetValue<string>());
        var wallet = await Scenario.Expect(await aliceApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Empty(wallet["coupons"]!.AsArray());

        // The dairy gateway hears her phone as well: both kinds of evidence in one resolver, the stay is confirmed, the offer fires.
        await StoreBeacons.ReportAcceptedAsync(Host, alice, new { sightings = beacons.Ranged("bk-dairy", now.AddSeconds(1.5)) });
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(alice, now.AddSeconds(1.6)));
        var coupon = await phone.NextCouponAsync();
        Assert.Equal(offerId, coupon.OfferId);
        var stay = Assert.Single(await StoreBeacons.TrailAsync(store, alice));
        Assert.Equal("dairy", stay!["zoneId"]!.GetValue<string>());
        Assert.Equal("gateway", stay["presence"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_region_exit_takes_the_shopper_out_of_the_store_at_once()
    {
        using var store = await Scenario.CreateAsync(Host);
        var beacons = await StoreBeacons.RegisterAsync(store);
        var alice = await store.EnrolAsync();
        var now = DateTimeOffset.UtcNow.AddSeconds(-20);
        await StoreBeacons.ReportAcceptedAsync(Host, alice, new { sightings = beacons.Ranged("bk-dairy", now), region = new { @event = "enter", ts = now.ToUnixTimeMilliseconds() } });

        var leftAt = now.AddSeconds(4);
        var answer = await StoreBeacons.ReportAcceptedAsync(Host, alice, new { region = new { @event = "exit", ts = leftAt.ToUnixTimeMilliseconds() } });
        Assert.Equal(0, answer["accepted"]!.GetValue<int>());

        var trail = await StoreBeacons.TrailAsync(store, alice);
        Assert.Equal(2, trail.Count);
        Assert.Equal("dairy", trail[0]!["zoneId"]!.GetValue<string>());
        Assert.Equal(leftAt.ToUnixTimeMilliseconds(), trail[0]!["exitedAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        Assert.Null(trail[1]!["zoneId"]);

        // A gateway's batch from before the exit, arriving late, does not bring her back.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(alice, now.AddSeconds(2)));
        Assert.Equal(2, (await StoreBeacons.TrailAsync(store, alice)).Count);
    }

    [Fact]
    public async Task Good_items_count_and_bad_ones_are_rejected_one_by_one()
    {
        using var store = await Scenario.CreateAsync(Host);
        var beacons = await StoreBeacons.RegisterAsync(store);
        var alice = await store.EnrolAsync();
        var now = DateTimeOffset.UtcNow;
        var good = beacons.Ranged("bk-dairy", now);
        object[] items =
        [
            good[0],
            new { ts = now.AddMinutes(10).ToUnixTimeMilliseconds(), rssi = -60, ibeacon = new { uuid = beacons.Uuid, major = 1, minor = 1 } },
            new { ts = now.ToUnixTimeMilliseconds(), rssi = "loud", ibeacon = new { uuid = beacons.Uuid, major = 1, minor = 1 } },
            new { ts = now.ToUnixTimeMilliseconds(), rssi = -60, ibeacon = new { uuid = Guid.NewGuid(), major = 7, minor = 7 } },
            good[1],
            good[2],
        ];
        var answer = await StoreBeacons.ReportAcceptedAsync(Host, alice, new { sightings = items });
        Assert.Equal(3, answer["accepted"]!.GetValue<int>());
        Assert.Equal(1, answer["dropped"]!.GetValue<int>());
        var rejected = answer["rejected"]!.AsArray();
        Assert.Equal([1, 2], rejected.Select(r => r!["index"]!.GetValue<int>()));
        Assert.Contains("future", rejected[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("rssi", rejected[1]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("dairy", Assert.Single(await StoreBeacons.TrailAsync(store, alice))!["zoneId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_reports_get_a_problem_and_change_nothing()
    {
        using var store = await Scenario.CreateAsync(Host);
        var beacons = await StoreBeacons.RegisterAsync(store);
        using var other = await Scenario.CreateAsync(Host);
        var otherBeacons = await StoreBeacons.RegisterAsync(other);
        var alice = await store.EnrolAsync();
        var bob = await store.EnrolAsync();
        var now = DateTimeOffset.UtcNow;

        // Another store's beacon: nothing of the report is the shopper's store's.
        var detail = await Scenario.ExpectProblem(
            await StoreBeacons.ReportAsync(Host, alice, new { sightings = otherBeacons.Ranged("bk-dairy", now) }), HttpStatusCode.BadRequest);
        Assert.Contains(beacons.Uuid, detail, StringComparison.Ordinal);

        // A reading from the future.
        detail = await Scenario.ExpectProblem(
            await StoreBeacons.ReportAsync(Host, alice, new { sightings = beacons.Ranged("bk-dairy", now.AddMinutes(5)) }), HttpStatusCode.BadRequest);
        Assert.Contains("future", detail, StringComparison.Ordinal);

        // 5,001 items.
        var many = Enumerable.Range(0, 5_001).Select(_ => beacons.Ranged("bk-dairy", now, count: 1)[0]).ToArray();
        await Scenario.ExpectProblem(await StoreBeacons.ReportAsync(Host, alice, new { sightings = many }), HttpStatusCode.RequestEntityTooLarge);

        // A gateway's key on the phone's route.
        using (var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]))
        {
            await Scenario.ExpectProblem(
                await gateway.PostAsJsonAsync("/api/v1/me/sightings", new { sightings = beacons.Ranged("bk-dairy", now) }), HttpStatusCode.Forbidden);
        }

        // Alice's token naming Bob.
        detail = await Scenario.ExpectProblem(
            await StoreBeacons.ReportAsync(Host, alice, new { shopperId = bob.ShopperId, sightings = beacons.Ranged("bk-dairy", now) }), HttpStatusCode.Forbidden);
        Assert.Contains("own shopper", detail, StringComparison.Ordinal);

        // A region event that is not one.
        await Scenario.ExpectProblem(
            await StoreBeacons.ReportAsync(Host, alice, new { region = new { @event = "wander", ts = now.ToUnixTimeMilliseconds() } }), HttpStatusCode.BadRequest);

        Assert.Empty(await StoreBeacons.TrailAsync(store, alice));
        Assert.Empty(await StoreBeacons.TrailAsync(store, bob));
        Assert.Empty(await StoreBeacons.TrailAsync(other, await other.EnrolAsync()));
    }

    [Fact]
    public async Task A_bad_report_over_the_hub_is_a_hub_error_that_says_what_to_fix()
    {
        using var store = await Scenario.CreateAsync(Host);
        var beacons = await StoreBeacons.RegisterAsync(store);
        var alice = await store.EnrolAsync();
        var bob = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, alice.Token, HubProtocol.MessagePack);
        var error = await Assert.ThrowsAsync<HubException>(() => phone.Connection.InvokeAsync<WireReportReceipt>(
            "ReportSightings", new { shopperId = bob.ShopperId, sightings = beacons.Ranged("bk-dairy", DateTimeOffset.UtcNow) }));
        Assert.Contains("own shopper", error.Message, StringComparison.Ordinal);
        Assert.Empty(await StoreBeacons.TrailAsync(store, bob));
        Assert.Empty(await StoreBeacons.TrailAsync(store, alice));
    }

    [Fact]
    public async Task A_phone_reporting_far_more_than_once_a_second_is_held_back()
    {
        using var store = await Scenario.CreateAsync(Host);
        var beacons = await StoreBeacons.RegisterAsync(store);
        var alice = await store.EnrolAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            var response = await StoreBeacons.ReportAsync(Host, alice, new { sightings = beacons.Ranged("bk-dairy", DateTimeOffset.UtcNow, count: 1) });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("one report a second", await Scenario.ExpectProblem(response, HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.Accepted, statuses[0]);
    }

    [Fact]
    public async Task The_operator_manages_beacons_and_an_identity_in_use_is_a_conflict()
    {
        using var store = await Scenario.CreateAsync(Host);
        var beacons = await StoreBeacons.RegisterAsync(store);
        var admin = store.Admin;
        var path = $"/api/v1/stores/{store.StoreId}/beacons";

        var list = await Scenario.Expect(await admin.GetAsync(path), HttpStatusCode.OK);
        Assert.Equal(beacons.Uuid, list["regionUuid"]!.GetValue<string>());
        Assert.Equal(["bk-dairy", "bk-snacks"], list["beacons"]!.AsArray().Select(b => b!["beaconId"]!.GetValue<string>()));
        var one = await Scenario.Expect(await admin.GetAsync($"{path}/bk-dairy"), HttpStatusCode.OK);
        Assert.Equal("dairy", one["zoneId"]!.GetValue<string>());
        Assert.Equal(1, one["ibeacon"]!["minor"]!.GetValue<int>());

        // The app reads the region to monitor.
        var alice = await store.EnrolAsync();
        using var aliceApi = Host.CreateClient(alice.Token);
        var region = await Scenario.Expect(await aliceApi.GetAsync("/api/v1/me/beacon-region"), HttpStatusCode.OK);
        Assert.Equal(beacons.Uuid, region["uuid"]!.GetValue<string>());
        var me = await Scenario.Expect(await aliceApi.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.Equal(beacons.Uuid, me["beaconRegion"]!["uuid"]!.GetValue<string>());

        // Another beacon's identity, and a shopper's, are in use.
        var again = await admin.PostAsJsonAsync(path, new { beaconId = "bk-dairy-2", zoneId = "dairy", ibeacon = new { uuid = beacons.Uuid, major = 1, minor = 1 } });
        Assert.Contains("bk-dairy", await Scenario.ExpectProblem(again, HttpStatusCode.Conflict), StringComparison.Ordinal);
        using var other = await Scenario.CreateAsync(Host);
        var shoppers = await admin.PostAsJsonAsync($"/api/v1/stores/{other.StoreId}/beacons", new
        {
            beaconId = "stolen", zoneId = "dairy", ibeacon = new { uuid = alice.Uuid, major = alice.Major, minor = alice.Minor },
        });
        Assert.Contains("shopper", await Scenario.ExpectProblem(shoppers, HttpStatusCode.Conflict), StringComparison.Ordinal);

        // One region per store.
        var elsewhere = await admin.PostAsJsonAsync(path, new { beaconId = "bk-x", zoneId = "dairy", ibeacon = new { uuid = Guid.NewGuid(), major = 1, minor = 9 } });
        Assert.Contains(beacons.Uuid, await Scenario.ExpectProblem(elsewhere, HttpStatusCode.BadRequest), StringComparison.Ordinal);

        // Deleted, the identity is free again.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{path}/bk-dairy")).StatusCode);
        await Scenario.ExpectProblem(await admin.GetAsync($"{path}/bk-dairy"), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await admin.DeleteAsync($"{path}/bk-dairy"), HttpStatusCode.NotFound);
        await beacons.AddAsync(store, "bk-dairy-2", "dairy", 1, 1);
    }

    private async Task<(int Accepted, int Dropped, int Rejected)> SendAsync(ReportChannel channel, EnrolledShopper shopper, ShopperApp phone, object report)
    {
        if (channel == ReportChannel.Http)
        {
            var answer = await StoreBeacons.ReportAcceptedAsync(Host, shopper, report);
            return (answer["accepted"]!.GetValue<int>(), answer["dropped"]!.GetValue<int>(), answer["rejected"]!.AsArray().Count);
        }

        var receipt = await phone.Connection.InvokeAsync<WireReportReceipt>("ReportSightings", report);
        return (receipt.Accepted, receipt.Dropped, receipt.Rejected?.Count ?? -1);
    }
}
