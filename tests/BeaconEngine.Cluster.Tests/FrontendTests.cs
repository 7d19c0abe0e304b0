using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Cluster.Tests.Infrastructure;
using BeaconEngine.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BeaconEngine.Cluster.Tests;

/// <summary>
/// Two tiers on PostgreSQL (and Redis): a front-end (<c>BeaconEngine:Role=frontend</c>, an Orleans client holding phones'
/// connections and no grains) with two silos behind it. Every call of these tests goes to the front-end.
/// </summary>
public sealed class FrontendTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("redis")]
    public async Task A_front_end_with_two_silos_behind_it_serves_the_contract_and_pushes_coupons_to_its_phones(string clusterStore)
    {
        await using var cluster = clusterStore == "postgres" ? await Infrastructure.Cluster.StartOnPostgresAsync(2) : await Infrastructure.Cluster.StartAsync(2);
        var front = await cluster.AddFrontendAsync();

        // The operator's set-up, a brand's offer and a shopper's enrolment, all through the front-end.
        var store = await ClusterScenario.CreateAsync(front);
        var offerId = await store.CreateOfferAsync(front, "dairy");
        var shopper = await store.EnrolAsync(front);
        await using var phone = await ShopperApp.ConnectAsync(front.BaseAddress, shopper.Token);

        // A gateway's batch → the shopper's grain on a silo → the coupon, pushed to the phone on the front-end.
        var receipt = await store.PostSightingsAsync(front, "gw-dairy", ClusterScenario.Approach(shopper));
        Assert.Equal(3, receipt["accepted"]!.GetValue<int>());
        var coupon = await phone.NextCouponAsync();
        Assert.Equal(offerId, coupon.OfferId);
        Assert.Equal("dairy", coupon.ZoneId);

        // At most two messages between processes: to the shopper's presence on a silo, and from there to the front-end.
        var messages = 0L;
        foreach (var node in cluster.Nodes)
        {
            messages += (await ClusterAsync(node))["couponMessagesFromOtherNodes"]!.GetValue<long>();
        }

        Assert.InRange(messages, 1, 2);

        // Wallet, acknowledgement, stats, trail, the till's redemption.
        var wallet = await ClusterScenario.WalletAsync(front, shopper);
        Assert.Equal(coupon.CouponId, wallet.Single()!["couponId"]!.GetValue<string>());
        await phone.AckAsync(coupon.CouponId!);
        Assert.Equal("delivered", (await ClusterScenario.WalletAsync(front, shopper)).Single()!["status"]!.GetValue<string>());
        Assert.Equal("dairy", (await store.TrailAsync(front, shopper)).Single()!["zoneId"]!.GetValue<string>());
        using var admin = front.CreateClient(NodeProcess.AdminKey);
        await ClusterScenario.Expect(
            await admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupon.Code }), HttpStatusCode.OK);
        var stats = await store.OfferStatsAsync(front, offerId);
        Assert.Equal((1, 1, 1), (stats["issued"]!.GetValue<int>(), stats["delivered"]!.GetValue<int>(), stats["redeemed"]!.GetValue<int>()));

        // A broad sample of the rest of the contract.
        using var brand = front.CreateClient(store.BrandKey);
        using var app = front.CreateClient(shopper.Token);
        Assert.Equal(store.StoreId, (await ClusterScenario.Expect(await admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK))["storeId"]!.GetValue<string>());
        Assert.Equal(offerId, (await ClusterScenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.OK))["offerId"]!.GetValue<string>());
        Assert.Contains(offerId, (await brand.GetStringAsync("/api/v1/offers")), StringComparison.Ordinal);
        Assert.Equal(shopper.ShopperId, (await ClusterScenario.Expect(await app.GetAsync("/api/v1/me"), HttpStatusCode.OK))["shopperId"]!.GetValue<string>());
        await ClusterScenario.Expect(await app.GetAsync("/api/v1/me/preferences"), HttpStatusCode.OK);
        await ClusterScenario.Expect(await admin.GetAsync($"/api/v1/stores/{store.StoreId}/gateways"), HttpStatusCode.OK);
        await ClusterScenario.Expect(await admin.GetAsync($"/api/v1/stores/{store.StoreId}/live"), HttpStatusCode.OK);
        await ClusterScenario.Expect(await admin.GetAsync($"/api/v1/stores/{store.StoreId}/zones"), HttpStatusCode.OK);
        await ClusterScenario.Expect(await admin.GetAsync($"/api/v1/stores/{store.StoreId}/analytics/programme"), HttpStatusCode.OK);
        await ClusterScenario.Expect(await front.CreateClient().GetAsync("/openapi/v1.json"), HttpStatusCode.OK);

        // A store change made through the front-end is seen at once by a silo's next batch, and vice versa.
        await store.RegisterGatewayAsync(front, "gw-dairy-2", "dairy");
        await store.PostSightingsAsync(cluster.Nodes[0], "gw-dairy-2", ClusterScenario.Approach(shopper));
        await store.RegisterGatewayAsync(cluster.Nodes[1], "gw-snacks-2", "snacks");
        await store.PostSightingsAsync(front, "gw-snacks-2", ClusterScenario.Approach(shopper));

        // Mistakes are problems that say what to fix, as on a silo.
        var unknown = await admin.GetAsync("/api/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var partly = await store.PostSightingsAsync(front, "gw-dairy", [new { rssi = -60 }, .. ClusterScenario.Approach(shopper).Take(1)]);
        Assert.Equal((1, 0), (partly["accepted"]!.GetValue<int>(), partly["rejected"]![0]!["index"]!.GetValue<int>()));
        using var gateway = front.CreateClient(store.GatewayKeys["gw-dairy"]);
        var bad = await gateway.PostAsync("/api/v1/sightings", new StringContent("{ \"sightings\": [", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

        // The front-end says what it is, and is ready on its cluster client's connection, not on a silo of its own.
        var self = await ClusterAsync(front);
        Assert.Equal("frontend", self["role"]!.GetValue<string>());
        Assert.Equal(2, self["otherNodes"]!.AsArray().Count);
        Assert.Equal("silo", (await ClusterAsync(cluster.Nodes[0]))["role"]!.GetValue<string>());
        var ready = await ClusterScenario.Expect(await front.CreateClient().GetAsync("/health/ready"), HttpStatusCode.OK);
        var checks = ready["checks"]!.AsObject();
        Assert.Equal("healthy", checks["cluster"]!["status"]!.GetValue<string>());
        Assert.Contains("2 silo(s) active", checks["cluster"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(checks.ContainsKey("silo"));

        // Erasure through the front-end: the token stops working.
        await ClusterScenario.Expect(await app.DeleteAsync("/api/v1/me"), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task When_a_silo_behind_the_front_end_is_killed_the_front_end_carries_on_with_the_other()
    {
        await using var cluster = await Infrastructure.Cluster.StartOnPostgresAsync(2);
        var front = await cluster.AddFrontendAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        var store = await ClusterScenario.CreateAsync(front);
        await store.CreateOfferAsync(front, "snacks");

        // Phones connected before the kill: their shoppers' presences were placed on either silo, so some most
        // likely went with the killed one and the front-end must tell the silo left about its phones again.
        var shoppers = new List<EnrolledShopper>();
        var phones = new List<ShopperApp>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                shoppers.Add(await store.EnrolAsync(front));
                phones.Add(await ShopperApp.ConnectAsync(front.BaseAddress, shoppers[i].Token));
            }

            var killed = Stopwatch.StartNew();
            a.Kill();

            // Until the front-end has let the dead silo go, a request may find no answer there: a 503, never a 500.
            var statuses = new List<HttpStatusCode>();
            using var app = front.CreateClient(shoppers[0].Token);
            while ((await ClusterAsync(front))["otherNodes"]!.AsArray().Count != 1)
            {
                Assert.True(killed.Elapsed < TimeSpan.FromSeconds(60), "The front-end still counts the killed silo after 60 s.");
                using var response = await app.GetAsync("/api/v1/me/wallet");
                statuses.Add(response.StatusCode);
                await Task.Delay(200);
            }

            output.WriteLine($"The front-end let the killed silo go after {killed.Elapsed.TotalSeconds:0.0} s; wallet answers meanwhile: {string.Join(", ", statuses)}.");
            Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));

            // The phones' connections never broke: each one's coupon comes live, through the silo that is left.
            for (var i = 0; i < shoppers.Count; i++)
            {
                await PostUntilAcceptedAsync(store, front, "gw-snacks", shoppers[i], killed);
                Assert.Equal("snacks", (await phones[i].NextCouponAsync()).ZoneId);
                Assert.Single(await ClusterScenario.WalletAsync(front, shoppers[i]));
            }

            output.WriteLine($"Every phone had its coupon {killed.Elapsed.TotalSeconds:0.0} s after the kill.");
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }

        // A new shopper, a new phone: the whole path on the one silo left.
        var late = await store.EnrolAsync(front);
        await using var latePhone = await ShopperApp.ConnectAsync(front.BaseAddress, late.Token);
        await store.PostSightingsAsync(front, "gw-snacks", ClusterScenario.Approach(late));
        Assert.Equal("snacks", (await latePhone.NextCouponAsync()).ZoneId);
        await ClusterScenario.Expect(await front.CreateClient().GetAsync("/health/ready"), HttpStatusCode.OK);

        // The silo left knows the front-end and nothing of the dead one.
        Assert.Single((await ClusterAsync(b))["otherNodes"]!.AsArray());
    }

    private static async Task PostUntilAcceptedAsync(ClusterScenario store, NodeProcess node, string gatewayId, EnrolledShopper shopper, Stopwatch clock)
    {
        while (true)
        {
            using var response = await store.TryPostSightingsAsync(node, gatewayId, ClusterScenario.Approach(shopper));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "The front-end answered 503 for 60 s after the silo was killed.");
            await Task.Delay(250);
        }
    }

    private static async Task<JsonObject> ClusterAsync(NodeProcess node)
    {
        using var admin = node.CreateClient(NodeProcess.AdminKey);
        return (await admin.GetFromJsonAsync<JsonObject>("/api/v1/cluster"))!;
    }
}
