using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>Revenue lift and return on spend through the till and the stats route.</summary>
[Collection(SharedEngineA.Name)]
public sealed class RevenueLiftTests(EngineFixture fixture)
{
    // R's worked Welch example (t.test(ts1, ts2)): means 10.4 and 11.4, interval −2.1469104 to 0.1469104.
    private static readonly decimal[] ControlSpend = [11, 9, 10, 11, 10, 12, 9, 11, 12, 9];
    private static readonly decimal[] TreatedSpend = [11, 13, 10, 13, 12, 9, 11, 12, 12, 11];

    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task Revenue_lift_on_a_constructed_data_set_is_Rs_Welch_example()
    {
        using var store = await Scenario.CreateAsync(Host);
        var brandId = $"brand-a-{store.StoreId}";
        var offerId = await store.CreateOfferAsync("snacks", title: "Crisps", extra: new { holdoutShare = 0.5, discount = new { kind = "amount", value = 0.5 } });
        var (treated, control) = await GroupsAsync(store, 10);
        var till = $"/api/v1/stores/{store.StoreId}/purchases";

        // A basket from before the shopper joined the control group adds nothing.
        await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { loyaltyId = "card-0", at = DateTimeOffset.UtcNow.AddHours(-1), lines = new[] { new { brand = brandId, amount = 100 } } }), HttpStatusCode.Created);
        for (var i = 0; i < 10; i++)
        {
            if (i == 0)
            {
                // Two baskets of one shopper add up; other brands' lines do not count.
                await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { code = treated[i], lines = new object[] { new { brand = brandId, amount = 6m }, new { brand = "someone-else", amount = 40m } } }), HttpStatusCode.Created);
                var second = await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { code = treated[i], lines = new[] { new { brand = brandId, amount = TreatedSpend[i] - 6 } } }), HttpStatusCode.Created);
                Assert.Empty(second["countedFor"]!.AsArray());
            }
            else
            {
                await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { code = treated[i], lines = new[] { new { brand = brandId, amount = TreatedSpend[i] } } }), HttpStatusCode.Created);
            }

            await Scenario.Expect(await store.Admin.PostAsJsonAsync(till, new { loyaltyId = $"card-{i}", lines = new[] { new { brand = brandId, amount = ControlSpend[i] } } }), HttpStatusCode.Created);
        }

        // Four coupons of 0.50 are redeemed: the discounts cost 2.
        foreach (var code in treated.Take(4))
        {
            await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code }), HttpStatusCode.OK);
        }

        var stats = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK),
            s => s["redeemed"]!.GetValue<long>() == 4 && s["byZone"]![0]!["redeemed"]!.GetValue<long>() == 4,
            what: "the redemptions to land");
        var revenue = stats["revenueLift"]!;
        Assert.Equal((10L, 10L), (revenue["treatedShoppers"]!.GetValue<long>(), revenue["controlShoppers"]!.GetValue<long>()));
        Assert.Equal(11.4, revenue["treatedPerShopper"]!.GetValue<double>(), 10);
        Assert.Equal(10.4, revenue["controlPerShopper"]!.GetValue<double>(), 10);
        Assert.Equal(1.0, revenue["difference"]!.GetValue<double>(), 10);
        Assert.Equal(-0.1469104, revenue["low"]!.GetValue<double>(), 6);
        Assert.Equal(2.1469104, revenue["high"]!.GetValue<double>(), 6);
        Assert.True(revenue["anytimeLow"]!.GetValue<double>() < -0.1469104 && revenue["anytimeHigh"]!.GetValue<double>() > 2.1469104);
        Assert.False(revenue["significantAnytime"]!.GetValue<bool>());
        Assert.Contains("Too early to tell", revenue["verdict"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(10.0, revenue["incrementalRevenue"]!.GetValue<double>(), 10);
        Assert.Equal(2.0, revenue["discountCost"]!.GetValue<double>(), 10);
        Assert.Equal(5.0, stats["returnOnSpend"]!.GetValue<double>(), 10);

        // The buyer-rate lift is unchanged by spend: everyone bought.
        Assert.Equal((10L, 10L), (stats["lift"]!["treated"]!["buyers"]!.GetValue<long>(), stats["lift"]!["control"]!["buyers"]!.GetValue<long>()));

        // Groups of 10: the brand reads the same revenue lift (only the zone's 4 redemptions are hidden from it).
        var brandStats = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        Assert.Equal(stats["revenueLift"]!.ToJsonString(), brandStats["revenueLift"]!.ToJsonString());
        Assert.Equal(5.0, brandStats["returnOnSpend"]!.GetValue<double>(), 10);
        Assert.Null(brandStats["byZone"]![0]!["redeemed"]);
    }

    [Fact]
    public async Task Without_a_control_group_there_is_no_revenue_figure()
    {
        using var store = await Scenario.CreateAsync(Host);
        var offerId = await store.CreateOfferAsync("dairy");
        var stats = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        var revenue = stats["revenueLift"]!;
        Assert.Null(revenue["low"]);
        Assert.Null(revenue["anytimeHigh"]);
        Assert.Contains("No figure yet", revenue["verdict"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(stats["returnOnSpend"]);
    }

    /// <summary>Exactly <paramref name="each"/> treated shoppers (their coupon codes) and as many held out (loyalty cards card-0, card-1, ...).</summary>
    private async Task<(List<string> Treated, List<EnrolledShopper> Control)> GroupsAsync(Scenario store, int each)
    {
        var treated = new List<string>();
        var control = new List<EnrolledShopper>();
        while (treated.Count < each || control.Count < each)
        {
            var shopper = await store.EnrolAsync();
            var decision = (await Scenario.Expect(await store.Admin.GetAsync(
                $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId=snacks&trigger=enter"), HttpStatusCode.OK))["decision"]!.GetValue<string>();
            if ((decision == "holdout" ? control.Count : treated.Count) >= each)
            {
                continue;
            }

            await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
            using var me = Host.CreateClient(shopper.Token);
            var wallet = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
            if (decision == "holdout")
            {
                await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = $"card-{control.Count}" }), HttpStatusCode.OK);
                control.Add(shopper);
            }
            else
            {
                treated.Add(wallet.Single()!["code"]!.GetValue<string>());
            }
        }

        return (treated, control);
    }
}
