using System.Net;
using System.Text.Json.Nodes;
using BeaconEngine.Rules.Learning;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests;

/// <summary>Stop the server, start a new one on the same SQLite file: nothing the engine said is forgotten.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Wallet_offer_stats_and_trail_survive_a_restart_and_an_unacked_coupon_is_pushed_again()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            string offerId, brandKey, gatewayKey, storeId;
            EnrolledShopper shopper;
            var t0 = DateTimeOffset.UtcNow.AddSeconds(-40);
            JsonObject walletBefore, offerBefore, statsBefore, trailBefore;

            await using (var first = await EngineHost.StartAsync(data))
            {
                using var store = await Scenario.CreateAsync(first);
                storeId = store.StoreId;
                offerId = await store.CreateOfferAsync("dairy", extra: new { budget = new { maxCoupons = 5 } });
                shopper = await store.EnrolAsync();

                // Dairy, then ten seconds later snacks: a trail of two zones; the dairy offer fires with no phone connected.
                await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, t0));
                await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, t0.AddSeconds(10), rssi: -55));

                using var me = first.CreateClient(shopper.Token);
                walletBefore = await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
                Assert.Single(walletBefore["coupons"]!.AsArray());
                var brand = store.Brands["brand-a"];
                brandKey = brand.DefaultRequestHeaders.Authorization!.Parameter!;
                gatewayKey = store.GatewayKeys["gw-dairy"];
                offerBefore = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.OK);
                statsBefore = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
                trailBefore = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{storeId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
                Assert.Equal(2, trailBefore["transitions"]!.AsArray().Count);
            }

            await using var second = await EngineHost.StartAsync(data);
            using var shopperApi = second.CreateClient(shopper.Token);
            using var brandApi = second.CreateClient(brandKey);
            using var admin = second.CreateClient(EngineHost.AdminKey);

            var walletAfter = await Scenario.Expect(await shopperApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
            Assert.Equal(walletBefore.ToJsonString(), walletAfter.ToJsonString());
            Assert.Equal(offerBefore.ToJsonString(), (await Scenario.Expect(await brandApi.GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.OK)).ToJsonString());
            Assert.Equal(statsBefore.ToJsonString(), (await Scenario.Expect(await brandApi.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK)).ToJsonString());
            // The stays are intact; the one left open by the restart ended when the shopper was last seen.
            var trailAfter = await Scenario.Expect(await admin.GetAsync($"/api/v1/stores/{storeId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
            var before = trailBefore["transitions"]!.AsArray();
            var after = trailAfter["transitions"]!.AsArray();
            Assert.Equal(3, after.Count);
            Assert.Equal(before[0]!.ToJsonString(), after[0]!.ToJsonString());
            Assert.Equal(("snacks", before[1]!["enteredAt"]!.GetValue<string>()), (after[1]!["zoneId"]!.GetValue<string>(), after[1]!["enteredAt"]!.GetValue<string>()));
            var lastSeen = t0.AddSeconds(11).ToUnixTimeMilliseconds();
            Assert.Equal(lastSeen, DateTimeOffset.Parse(after[1]!["exitedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
            Assert.Null(after[2]!["zoneId"]?.GetValue<string>());

            // The phone comes online: the coupon it never acknowledged arrives now.
            await using var phone = await ShopperApp.ConnectAsync(second.BaseAddress, shopper.Token, HubProtocol.MessagePack);
            var redelivered = await phone.NextCouponAsync();
            Assert.Equal(walletBefore["coupons"]![0]!["couponId"]!.GetValue<string>(), redelivered.CouponId);
            Assert.Equal(walletBefore["coupons"]![0]!["code"]!.GetValue<string>(), redelivered.Code);

            // Keys issued before the restart still work, and an acknowledged coupon is not sent again.
            using var gateway = second.CreateClient(gatewayKey);
            await Scenario.Expect(await gateway.PostAsync("/api/v1/sightings", new StringContent("""{"sightings":[]}""", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.Accepted);
            await phone.AckAsync(redelivered.CouponId!);
            await using var again = await ShopperApp.ConnectAsync(second.BaseAddress, shopper.Token);

            // The hub finishes its on-connect resend before it handles any call, so once this call
            // returns, every resent coupon has arrived.
            await again.AckAsync(redelivered.CouponId!);
            Assert.Empty(again.Drain());
            var stats = await Scenario.Expect(await brandApi.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
            Assert.Equal(1, stats["delivered"]!.GetValue<long>());
            var wallet = await Scenario.Expect(await shopperApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
            Assert.Equal("delivered", wallet["coupons"]![0]!["status"]!.GetValue<string>());
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task What_the_rules_learned_from_feedback_survives_a_restart()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            string offerId, gatewayKey;
            await using (var first = await EngineHost.StartAsync(data))
            {
                using var store = await Scenario.CreateAsync(first);
                gatewayKey = store.GatewayKeys["gw-dairy"];
                offerId = await store.CreateOfferAsync("dairy");
                var shopper = await store.EnrolAsync();
                await using var phone = await ShopperApp.ConnectAsync(first.BaseAddress, shopper.Token);
                await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
                await phone.DismissAsync((await phone.NextCouponAsync()).CouponId!);

                var learned = first.Services.GetRequiredService<RedemptionModel>().PosteriorOf(offerId, null);
                Assert.Equal((RedemptionModel.PriorAlpha, RedemptionModel.PriorBeta + 1), (learned.Alpha, learned.Beta));
            }

            await using var second = await EngineHost.StartAsync(data);
            var model = second.Services.GetRequiredService<RedemptionModel>();
            Assert.Equal(RedemptionModel.PriorBeta, model.PosteriorOf(offerId, null).Beta);

            // The first sighting batch loads the store, and with it what the store has learned.
            using var gateway = second.CreateClient(gatewayKey);
            await Scenario.Expect(await gateway.PostAsync("/api/v1/sightings", new StringContent("""{"sightings":[]}""", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.Accepted);
            Assert.Equal(RedemptionModel.PriorBeta + 1, model.PosteriorOf(offerId, null).Beta);
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }
}
