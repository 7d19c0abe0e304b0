using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>The whole path over real Kestrel and the real SignalR client: a sighting becomes a coupon on one phone.</summary>
[Collection(SharedEngineB.Name)]
public sealed class EndToEndTests(EngineFixture fixture)
{
    [Theory]
    [InlineData(HubProtocol.Json)]
    [InlineData(HubProtocol.MessagePack)]
    public async Task A_sighting_becomes_a_coupon_on_that_shoppers_phone_only_and_the_till_redeems_it_once(HubProtocol protocol)
    {
        var host = fixture.Host;
        using var store = await Scenario.CreateAsync(host);
        var offerId = await store.CreateOfferAsync("dairy", extra: new { budget = new { maxCoupons = 10 } });
        var alice = await store.EnrolAsync();
        var bob = await store.EnrolAsync();
        await using var alicePhone = await ShopperApp.ConnectAsync(host.BaseAddress, alice.Token, protocol);
        await using var bobPhone = await ShopperApp.ConnectAsync(host.BaseAddress, bob.Token, protocol);

        var uplink = await store.PostSightingsAsync("gw-dairy", Scenario.Approach(alice));
        Assert.Equal(3, uplink["accepted"]!.GetValue<int>());
        Assert.Empty(uplink["rejected"]!.AsArray());

        var coupon = await alicePhone.NextCouponAsync();
        Assert.Equal(offerId, coupon.OfferId);
        Assert.Equal($"brand-a-{store.StoreId}", coupon.BrandId);
        Assert.Equal("20% off yoghurt", coupon.Title);
        Assert.Equal("Any pot", coupon.Description);
        Assert.Equal("percent", coupon.Discount!.Kind);
        Assert.Equal(20, coupon.Discount.Value);
        Assert.Equal("dairy", coupon.ZoneId);
        Assert.Matches("^[0-7][0-9A-HJKMNP-TV-Z]{25}$", coupon.Code!);
        var issuedAt = DateTimeOffset.Parse(coupon.IssuedAt!, CultureInfo.InvariantCulture);
        var expiresAt = DateTimeOffset.Parse(coupon.ExpiresAt!, CultureInfo.InvariantCulture);
        Assert.EndsWith("Z", coupon.IssuedAt, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(60), expiresAt - issuedAt);

        // Bob's first message must be his own coupon: had Alice's been sent to him too, it would have
        // been written to his connection before this one.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(bob));
        var bobsCoupon = await bobPhone.NextCouponAsync();
        Assert.NotEqual(coupon.CouponId, bobsCoupon.CouponId);
        Assert.Equal(offerId, bobsCoupon.OfferId);

        // The wallet held the coupon before the phone saw it; an ack marks it delivered.
        using var aliceApi = host.CreateClient(alice.Token);
        var wallet = await Scenario.Expect(await aliceApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        var held = Assert.Single(wallet["coupons"]!.AsArray());
        Assert.Equal(coupon.CouponId, held!["couponId"]!.GetValue<string>());
        Assert.Equal("issued", held["status"]!.GetValue<string>());
        await alicePhone.AckAsync(coupon.CouponId!);
        wallet = await Scenario.Expect(await aliceApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Equal("delivered", wallet["coupons"]![0]!["status"]!.GetValue<string>());

        var brand = store.Brands["brand-a"];
        var stats = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        Assert.Equal(2, stats["issued"]!.GetValue<long>());
        Assert.Equal(1, stats["delivered"]!.GetValue<long>());
        Assert.Equal(0, stats["redeemed"]!.GetValue<long>());
        Assert.Equal(8, stats["remainingBudget"]!.GetValue<long>());

        // The till: the first scan redeems, every later scan is a conflict.
        var first = await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupon.Code });
        var redeemed = await Scenario.Expect(first, HttpStatusCode.OK);
        Assert.Equal(coupon.CouponId, redeemed["couponId"]!.GetValue<string>());
        Assert.Equal(offerId, redeemed["offerId"]!.GetValue<string>());
        Assert.Equal(alice.ShopperId, redeemed["shopperId"]!.GetValue<string>());

        var second = await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupon.Code });
        await Scenario.ExpectProblem(second, HttpStatusCode.Conflict);

        stats = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        Assert.Equal(1, stats["redeemed"]!.GetValue<long>());
        wallet = await Scenario.Expect(await aliceApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Empty(wallet["coupons"]!.AsArray());
    }

    [Fact]
    public async Task A_shopper_is_placed_by_three_strong_sightings_within_three_seconds_and_not_before()
    {
        var host = fixture.Host;
        using var store = await Scenario.CreateAsync(host);
        var shopper = await store.EnrolAsync();
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-30);

        // Two strong sightings and a weak one: not placed yet.
        await store.PostSightingsAsync("gw-snacks", [.. Scenario.Approach(shopper, t0, count: 2), .. Scenario.Approach(shopper, t0.AddSeconds(1.2), count: 1, rssi: -80)]);
        var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        Assert.Empty(trail["transitions"]!.AsArray());

        // A third strong one inside the window places the shopper, at its own event time.
        var third = t0.AddSeconds(2);
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, third, count: 1));
        trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        var entry = Assert.Single(trail["transitions"]!.AsArray())!;
        Assert.Equal("snacks", entry["zoneId"]!.GetValue<string>());
        Assert.Equal(third.ToUnixTimeMilliseconds(), DateTimeOffset.Parse(entry["enteredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Null(entry["exitedAt"]);
    }

    [Fact]
    public async Task An_offer_waits_for_its_minimum_dwell_and_a_shopper_without_offer_consent_gets_none()
    {
        var host = fixture.Host;
        using var store = await Scenario.CreateAsync(host);
        await store.CreateOfferAsync("dairy", extra: new { minDwellSeconds = 10 });
        var keen = await store.EnrolAsync();
        var private_ = await store.EnrolAsync(offers: false);
        await using var keenPhone = await ShopperApp.ConnectAsync(host.BaseAddress, keen.Token);
        using var keenApi = host.CreateClient(keen.Token);
        using var privateApi = host.CreateClient(private_.Token);
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-60);

        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(keen, t0));
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(private_, t0));
        var wallet = await Scenario.Expect(await keenApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Empty(wallet["coupons"]!.AsArray());

        // Twelve seconds later (event time) in the same aisle: dwell reached.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(keen, t0.AddSeconds(12)));
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(private_, t0.AddSeconds(12)));
        var coupon = await keenPhone.NextCouponAsync();
        Assert.Equal("dairy", coupon.ZoneId);
        wallet = await Scenario.Expect(await privateApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Empty(wallet["coupons"]!.AsArray());

        // One per shopper by default: more sightings bring no second coupon.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(keen, t0.AddSeconds(20)));
        wallet = await Scenario.Expect(await keenApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Single(wallet["coupons"]!.AsArray());
    }
}
