using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>
/// The console in headless Chromium against the real server: a brand places an offer on the floor plan,
/// simulated shoppers (real SignalR clients, real gateway batches) trigger it, and the charts follow live.
/// </summary>
public sealed class BrandConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_brand_places_an_offer_on_the_floor_plan_edits_it_and_watches_it_work_live()
    {
        using var store = await Scenario.CreateAsync(Host);
        var brand = store.Brands["brand-a"];
        await using var console = await fixture.OpenAsync();
        var page = console.Page;

        await page.GotoAsync("/console/");
        await page.FillAsync("#key", "br_not-a-key");
        await page.FillAsync("#store", store.StoreId);
        await page.ClickAsync("#sign-in-button");
        await Assertions.Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("That key is not valid.");

        await page.FillAsync("#key", brand.DefaultRequestHeaders.Authorization!.Parameter!);
        await page.ClickAsync("#sign-in-button");
        await Assertions.Expect(page.Locator("#who-role")).ToHaveTextAsync("brand");
        await Assertions.Expect(page.Locator("#who-name")).ToHaveTextAsync("brand-a");
        await Assertions.Expect(page.Locator("#floor-plan [data-zone]")).ToHaveCountAsync(2);

        // Place an offer by clicking the snacks aisle on the floor plan.
        await page.ClickAsync("#floor-plan [data-zone=snacks]");
        await Assertions.Expect(page.Locator("#editor-title")).ToHaveTextAsync("New offer in Snacks");

        // The clicked zone is ticked (plain checkboxes, no Ctrl-click), and the product category is left to the brand.
        await Assertions.Expect(page.Locator("#offer-zones input[value=snacks]")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#offer-zones input[value=dairy]")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#offer-category")).ToHaveValueAsync("");
        await page.FillAsync("#offer-category", "crisps");
        await page.FillAsync("#offer-title", "Crisps 1.50 off");
        await page.FillAsync("#offer-value", "1.5");
        await page.SelectOptionAsync("#offer-kind", "amount");
        await page.FillAsync("#offer-holdout", "50");
        await page.ClickAsync("#offer-save");
        var item = page.Locator("#offer-list li.selected");
        await Assertions.Expect(item.Locator(".title")).ToHaveTextAsync("Crisps 1.50 off");
        var offerId = (await item.GetAttributeAsync("data-offer"))!;

        var offer = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.OK);
        Assert.Equal(["snacks"], offer["zoneIds"]!.AsArray().Select(z => z!.GetValue<string>()));
        Assert.Equal(("amount", 1.5m), (offer["discount"]!["kind"]!.GetValue<string>(), offer["discount"]!["value"]!.GetValue<decimal>()));
        Assert.Equal(0.5, offer["holdoutShare"]!.GetValue<double>());
        Assert.Equal("crisps", offer["category"]!.GetValue<string>());

        // Edit it: the change reaches the API and the list.
        await item.Locator(".edit").ClickAsync();
        await Assertions.Expect(page.Locator("#offer-title")).ToHaveValueAsync("Crisps 1.50 off");
        await page.FillAsync("#offer-title", "Crisps: 1.50 off any bag");
        await page.ClickAsync("#offer-save");
        await Assertions.Expect(page.Locator("#offer-list li.selected .title")).ToHaveTextAsync("Crisps: 1.50 off any bag");
        offer = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.OK);
        Assert.Equal("Crisps: 1.50 off any bag", offer["title"]!.GetValue<string>());
        Assert.Equal(0.5, offer["holdoutShare"]!.GetValue<double>());

        // Nothing has happened yet: the chart starts at zero, its axis says 0 once and "Nothing yet", and the lift
        // gives no figure while both groups are empty (no "+0.0 pp (-100 to +100)" under "No figure yet").
        await Assertions.Expect(page.Locator("[data-kpi=issued] .n")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#timeline path[data-series=issued]")).ToHaveAttributeAsync("data-last", "0");
        Assert.Equal(["0"], await page.Locator("#timeline text.tick").AllTextContentsAsync());
        await Assertions.Expect(page.Locator("#timeline text.empty")).ToHaveTextAsync("Nothing yet");
        await Assertions.Expect(page.Locator("#lift .verdict")).ToContainTextAsync("No figure yet");
        await Assertions.Expect(page.Locator("#lift .figures")).ToHaveTextAsync("");
        await Assertions.Expect(page.Locator("#lift-chart")).ToHaveCountAsync(0);

        // Shoppers walk into the snacks aisle: two get the coupon on their phones, two are held out.
        var treated = new List<(EnrolledShopper Shopper, WireCoupon Coupon)>();
        var control = new List<EnrolledShopper>();
        while (treated.Count < 2 || control.Count < 2)
        {
            var shopper = await store.EnrolAsync();
            var decision = (await Scenario.Expect(await store.Admin.GetAsync(
                $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId=snacks&trigger=enter"), HttpStatusCode.OK))["decision"]!.GetValue<string>();
            Assert.Contains(decision, (string[])["issue", "holdout"]);
            if (decision == "holdout" && control.Count < 2)
            {
                await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
                control.Add(shopper);
            }
            else if (decision == "issue" && treated.Count < 2)
            {
                await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, shopper.Token);
                await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
                var coupon = await phone.NextCouponAsync();
                Assert.Equal(offerId, coupon.OfferId);
                await phone.AckAsync(coupon.CouponId!);
                treated.Add((shopper, coupon));
            }
        }

        // One treated shopper buys crisps at the till.
        var brandId = offer["brandId"]!.GetValue<string>();
        await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", new
        {
            code = treated[0].Coupon.Code,
            lines = new[] { new { brand = brandId, category = "snacks", amount = 2.49 } },
        }), HttpStatusCode.Created);

        // The page follows without a reload: counters, the line over time, and the lift with its interval.
        await Assertions.Expect(page.Locator("[data-kpi=issued] .n")).ToHaveTextAsync("2");
        // Two held out: a brand does not see a group under 5 (the operator's API gives 2), and the page says so.
        await Assertions.Expect(page.Locator("[data-kpi=heldOut] .n")).ToHaveTextAsync("under 5");
        await Assertions.Expect(page.Locator("[data-kpi=opened] .n")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#timeline path[data-series=issued]")).ToHaveAttributeAsync("data-last", "2");
        await Assertions.Expect(page.Locator("#timeline path[data-series=opened]")).ToHaveAttributeAsync("data-last", "2");
        var issuedLine = await page.GetAttributeAsync("#timeline path[data-series=issued]", "d");
        Assert.True(issuedLine!.Split('L').Length > 2, $"the issued line should have several points over time: {issuedLine}");
        // Groups of two (one buyer) are under 5: the brand reads why there is no lift, never "null" or NaN; the
        // operator's API has the exact groups (1 of 2 against 0 of 2) and the interval the brand is not shown.
        await Assertions.Expect(page.Locator("#lift .groups")).ToHaveTextAsync("Treated: under 5 of under 5 bought · Control: 0 of under 5");
        await Assertions.Expect(page.Locator("#lift .verdict")).ToContainTextAsync("Too few shoppers to show");
        await Assertions.Expect(page.Locator("#lift .figures")).ToHaveTextAsync("");
        await Assertions.Expect(page.Locator("#lift-chart")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#revenue .groups")).ToContainTextAsync("hidden while a group has under 5 shoppers");
        await Assertions.Expect(page.Locator("#by-zone tbody td").Nth(3)).ToHaveTextAsync("under 5");
        var exact = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        Assert.Equal((2L, 1L, 2L, 0L), (exact["lift"]!["treated"]!["shoppers"]!.GetValue<long>(), exact["lift"]!["treated"]!["buyers"]!.GetValue<long>(),
            exact["lift"]!["control"]!["shoppers"]!.GetValue<long>(), exact["lift"]!["control"]!["buyers"]!.GetValue<long>()));
        Assert.True(exact["lift"]!["low"]!.GetValue<double>() < 0);
        Assert.DoesNotContain("null", await page.Locator("#results").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", await page.Locator("#results").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#by-zone tbody tr")).ToHaveCountAsync(1);
        Assert.Equal(["Zone", "Triggered", "Held out", "Issued", "Opened", "Dismissed", "Redeemed", "Expired"], await page.Locator("#by-zone th").AllTextContentsAsync());

        // Issued and opened are equal (2 and 2): the opened line lies inside the issued one, narrower, not on top of it.
        var widths = await page.EvalOnSelectorAllAsync<double[]>("#timeline path[data-series]", "paths => paths.map(p => Number(p.getAttribute('stroke-width')))");
        Assert.True(widths.Zip(widths.Skip(1)).All(w => w.First > w.Second), $"each line should be narrower than the one under it: {string.Join(", ", widths)}");
        var ticks = await page.Locator("#timeline text.tick").AllTextContentsAsync();
        Assert.Equal(ticks.Distinct().Count(), ticks.Count);
        await Assertions.Expect(page.Locator("#floor-plan [data-zone=snacks] .badge text")).ToHaveTextAsync("1");

        await console.ScreenshotAsync("brand-console");

        // After a reload the tab is still signed in, the offer is picked again, and the hourly chart, kept by
        // the server, still has the hour of both coupons (2, under 5 for a brand: its label says so).
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#who-role")).ToHaveTextAsync("brand");
        await Assertions.Expect(page.Locator("#results-title")).ToContainTextAsync("Crisps: 1.50 off any bag");
        await Assertions.Expect(page.Locator("#by-hour rect[data-value]").First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#by-hour")).ToContainTextAsync("(under 5)");
        Assert.Equal(2, (await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK))["byHour"]!.AsArray().Sum(h => h!["issued"]!.GetValue<long>()));

        // Retiring asks first, then the offer stops and leaves the list.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.ClickAsync("#offer-list li.selected .edit");
        await page.ClickAsync("#offer-delete");
        await Assertions.Expect(page.Locator("#offer-list")).ToContainTextAsync("No offers yet");
        await Assertions.Expect(page.Locator("#results")).ToBeHiddenAsync();
        Assert.Empty((await Scenario.Expect(await brand.GetAsync("/api/v1/offers"), HttpStatusCode.OK))["offers"]!.AsArray());

        // The retired offer's results stay readable: it is listed under "Retired offers" and opens its figures.
        var retired = (await Scenario.Expect(await brand.GetAsync("/api/v1/offers?retired=true"), HttpStatusCode.OK))["offers"]!.AsArray();
        Assert.Equal(offerId, Assert.Single(retired)!["offerId"]!.GetValue<string>());
        await page.ClickAsync("#retired summary");
        await page.ClickAsync($"#retired-list li[data-offer={offerId}]");
        await Assertions.Expect(page.Locator("#results-title")).ToHaveTextAsync("Results · Crisps: 1.50 off any bag (retired)");
        await Assertions.Expect(page.Locator("[data-kpi=issued] .n")).ToHaveTextAsync("2");
        console.AssertNoErrors("401");
    }
}
