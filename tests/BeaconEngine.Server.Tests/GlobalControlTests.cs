using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Grains;
using BeaconEngine.Rules.Analytics;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>The store's global control group: who is in it gets no coupon, and the programme report compares the two groups.</summary>
[Collection(SharedEngineA.Name)]
public sealed class GlobalControlTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_store_takes_a_global_control_share_from_0_to_15_percent()
    {
        // The engine's default; the test servers run with 0 so that other tests know who gets a coupon.
        Assert.Equal(0.05, new EngineOptions().GlobalControlShare);

        using var store = await Scenario.CreateAsync(Host);
        foreach (var bad in new[] { 0.2, -0.01 })
        {
            var response = await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", StoreBody(bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("'globalControlShare' must be from 0 to 0.15", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var put = await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", StoreBody(0.15)), HttpStatusCode.OK);
        Assert.Equal(0.15, put["globalControlShare"]!.GetValue<double>());
        var get = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK);
        Assert.Equal(0.15, get["globalControlShare"]!.GetValue<double>());
    }

    [Fact]
    public async Task Global_control_shoppers_never_get_a_coupon_and_the_programme_compares_their_spend()
    {
        using var store = await Scenario.CreateAsync(Host);
        await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", StoreBody(0.15)), HttpStatusCode.OK);
        await store.CreateOfferAsync("snacks", title: "Crisps");

        var treated = new List<string>();
        var control = new List<string>();
        while (treated.Count < 4 || control.Count < 3)
        {
            var shopper = await store.EnrolAsync();
            var explain = await Scenario.Expect(await store.Admin.GetAsync(
                $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId=snacks&trigger=enter"), HttpStatusCode.OK);
            var inControl = explain["blockedBy"]?.GetValue<string>() == "globalControl";
            var group = inControl ? control : treated;
            if (group.Count >= (inControl ? 3 : 4))
            {
                continue;
            }

            await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
            using var me = Host.CreateClient(shopper.Token);
            var wallet = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
            Assert.Equal(inControl ? 0 : 1, wallet.Count);
            var card = $"{(inControl ? "gc" : "tr")}-{group.Count}";
            await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = card }), HttpStatusCode.OK);
            group.Add(card);
        }

        // Treated spend 10, 20, 30 and 15 + 25 (two baskets); the global control group 5, 10, 15.
        var till = $"/api/v1/stores/{store.StoreId}/purchases";
        decimal[][] treatedBaskets = [[10], [20], [30], [15, 25]];
        decimal[][] controlBaskets = [[5], [10], [15]];
        foreach (var (cards, baskets) in new[] { (treated, treatedBaskets), (control, controlBaskets) })
        {
            for (var i = 0; i < cards.Count; i++)
            {
                foreach (var amount in baskets[i])
                {
                    await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { loyaltyId = cards[i], lines = new[] { new { brand = "anyone", amount } } }), HttpStatusCode.Created);
                }
            }
        }

        // Visits are recorded one-way, off the sightings' path: wait until all have landed.
        var route = $"/api/v1/stores/{store.StoreId}/analytics/programme";
        var report = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync(route), HttpStatusCode.OK),
            r => r["treated"]!["visitsPerShopper"]!.GetValue<double>() == 1 && r["globalControl"]!["visitsPerShopper"]!.GetValue<double>() == 1,
            what: "every shopper's visit");
        Assert.Equal(0.15, report["globalControlShare"]!.GetValue<double>());
        Assert.Equal((4L, 25.0, 1.25), (report["treated"]!["shoppers"]!.GetValue<long>(), report["treated"]!["spendPerShopper"]!.GetValue<double>(), report["treated"]!["basketsPerShopper"]!.GetValue<double>()));
        Assert.Equal((3L, 10.0, 1.0), (report["globalControl"]!["shoppers"]!.GetValue<long>(), report["globalControl"]!["spendPerShopper"]!.GetValue<double>(), report["globalControl"]!["basketsPerShopper"]!.GetValue<double>()));

        // Welch's interval of the spend difference, as the statistics core (checked against R) computes it.
        var expected = MeanDifference.Of(SpendSample.Of([10, 20, 30, 40]), SpendSample.Of([5, 10, 15]));
        var spend = report["spend"]!;
        Assert.Equal(15.0, spend["difference"]!.GetValue<double>(), 10);
        Assert.Equal(expected.Low, spend["low"]!.GetValue<double>(), 10);
        Assert.Equal(expected.High, spend["high"]!.GetValue<double>(), 10);
        Assert.Equal(expected.AnytimeLow, spend["anytimeLow"]!.GetValue<double>(), 10);
        Assert.Equal(0.25, report["baskets"]!["difference"]!.GetValue<double>(), 10);
        Assert.Equal(0.0, report["visits"]!["difference"]!.GetValue<double>(), 10);
        Assert.False(spend["significantAnytime"]!.GetValue<bool>());
        Assert.Contains("No measurable effect", report["verdict"]!.GetValue<string>(), StringComparison.Ordinal);

        // The programme report is the operator's: a brand gets no figure from it.
        Assert.Equal(HttpStatusCode.Forbidden, (await store.Brands["brand-a"].GetAsync(route)).StatusCode);
    }

    private static object StoreBody(double share) => new
    {
        name = "Test store",
        timeZone = "Europe/Warsaw",
        zones = new object[]
        {
            new { id = "dairy", name = "Dairy", kind = "aisle", category = "dairy", neighbors = new[] { "snacks" } },
            new { id = "snacks", name = "Snacks", kind = "aisle", category = "snacks", neighbors = new[] { "dairy" } },
        },
        globalControlShare = share,
    };
}
