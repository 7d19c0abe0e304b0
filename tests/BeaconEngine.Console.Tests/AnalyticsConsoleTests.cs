using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>
/// Issue 20's panels in headless Chromium, drawn from a simulated day with purchases on the real server: the
/// heat map of footfall and dwell on the floor plan, the funnel, the revenue lift with its intervals and
/// verdict, the return on spend, and the programme against the global control group. Every figure on the page
/// is checked against what the API answers.
/// </summary>
public sealed class AnalyticsConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task The_operator_and_the_brand_see_the_heat_map_the_funnel_the_revenue_lift_and_the_programme_of_a_simulated_day()
    {
        using var store = await Scenario.CreateAsync(Host);
        var day = await SimulatedDay.RunAsync(store, Host);
        Assert.True(day.Treated >= 5, $"only {day.Treated} shoppers got the coupon");

        // The stays and stages arrive one-way: wait until every shopper's checkout stay has landed and closed.
        var route = $"/api/v1/stores/{store.StoreId}/analytics/zones";
        var zones = await Eventually.WaitAsync(
            async () => await Scenario.Expect(await store.Admin.GetAsync(route), HttpStatusCode.OK),
            r => SimulatedDay.Zone(r, "checkout")["stays"]!.GetValue<long>() == 66,
            within: TimeSpan.FromSeconds(90),
            what: "all 66 shoppers' checkout stays");
        var programme = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/analytics/programme"), HttpStatusCode.OK);

        await using (var console = await fixture.OpenAsync(1280, 1000))
        {
            var page = console.Page;
            await page.GotoAsync($"/console/?store={store.StoreId}");
            await page.FillAsync("#key", EngineHost.AdminKey);
            await page.ClickAsync("#sign-in-button");
            await Assertions.Expect(page.Locator("#who-role")).ToHaveTextAsync("operator");

            // The heat map: every zone filled and labelled with the API's footfall and median dwell.
            foreach (var zoneId in SimulatedDay.ZoneIds)
            {
                var zone = SimulatedDay.Zone(zones, zoneId);
                var drawn = page.Locator($"#op-heat [data-zone={zoneId}]");
                await Assertions.Expect(drawn).ToHaveAttributeAsync("data-footfall", zone["footfall"]!.ToString());
                await Assertions.Expect(drawn).ToHaveAttributeAsync("data-dwell", Number(zone["dwellMedianSeconds"]));
                Assert.Contains("color-mix", await drawn.Locator("polygon").GetAttributeAsync("style") ?? "", StringComparison.Ordinal);
            }

            // Entrance and checkout see every shopper; the busiest zone's fill is the hottest.
            Assert.Equal(66, SimulatedDay.Zone(zones, "entrance")["footfall"]!.GetValue<long>());

            // The funnel of the zone clicked: snacks, with the offer's coupons.
            await page.ClickAsync("#op-heat [data-zone=snacks]");
            await Assertions.Expect(page.Locator("#op-funnel-zone")).ToHaveTextAsync("Snacks");
            var funnel = SimulatedDay.Zone(zones, "snacks")["funnel"]!;
            foreach (var stage in new[] { "passed", "dwelt", "offered", "opened", "redeemed" })
            {
                await Assertions.Expect(page.Locator($"#op-funnel [data-stage={stage}]")).ToHaveAttributeAsync("data-value", funnel[stage]!.ToString());
            }

            Assert.True(funnel["offered"]!.GetValue<long>() == day.Treated, $"offered {funnel["offered"]} of {day.Treated} treated");
            await Assertions.Expect(page.Locator("#op-zone-table tbody tr")).ToHaveCountAsync(6);
            await Assertions.Expect(page.Locator("#op-moves li").First).ToContainTextAsync("→");

            // The programme: treated against the global control group, with the API's verdict.
            await Assertions.Expect(page.Locator("#programme-verdict")).ToHaveTextAsync(programme["verdict"]!.GetValue<string>());
            await AssertMoneyAsync(page.Locator("#programme-table tr[data-metric=spend] td").Nth(1), programme["treated"]!["spendPerShopper"]);
            await AssertMoneyAsync(page.Locator("#programme-table tr[data-metric=spend] td").Nth(2), programme["globalControl"]!["spendPerShopper"]);
            await Assertions.Expect(page.Locator("#programme-chart circle")).ToHaveCountAsync(1);

            await page.Locator("#op-zones").ScreenshotAsync(new() { Path = Path.Combine(ConsoleFixture.ScreenshotFolder, "console-heatmap.png") });

            // Dwell instead of footfall: the same plan, the legend says so.
            await page.ClickAsync("#op-metric button[data-metric=dwell]");
            await Assertions.Expect(page.Locator("#op-heat-legend")).ToContainTextAsync("Median dwell");
            await page.Locator("#programme").ScreenshotAsync(new() { Path = Path.Combine(ConsoleFixture.ScreenshotFolder, "console-programme.png") });
            Assert.DoesNotContain("shp_", await page.ContentAsync(), StringComparison.Ordinal);
            console.AssertNoErrors();
        }

        // The brand: its offer's revenue lift and return on spend, and only its zone, figures under 5 shoppers hidden.
        var brand = store.Brands["brand-a"];
        var stats = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{day.OfferId}/stats"), HttpStatusCode.OK);
        var seen = await Scenario.Expect(await brand.GetAsync(route), HttpStatusCode.OK);
        await using (var console = await fixture.OpenAsync(1280, 1000))
        {
            var page = console.Page;
            await page.GotoAsync($"/console/?store={store.StoreId}");
            await page.FillAsync("#key", brand.DefaultRequestHeaders.Authorization!.Parameter!);
            await page.ClickAsync("#sign-in-button");
            await Assertions.Expect(page.Locator("#who-role")).ToHaveTextAsync("brand");

            var revenue = stats["revenueLift"]!;
            await Assertions.Expect(page.Locator("#revenue .verdict")).ToHaveTextAsync(revenue["verdict"]!.GetValue<string>());
            var groups = await page.Locator("#revenue .groups").TextContentAsync();
            if (revenue["treatedShoppers"] is null || revenue["controlShoppers"] is null)
            {
                // Which shoppers the offer holds out is the engine's stable draw on their random ids: when a group
                // falls under 5, the page must say so with the API's figures rather than draw a figure it hides.
                Assert.Equal(
                    $"Spend on the brand per shopper: hidden while a group has under 5 shoppers (treated {revenue["treatedShoppers"]?.ToString() ?? "under 5"} · control {revenue["controlShoppers"]?.ToString() ?? "under 5"})",
                    groups);
            }
            else
            {
                var spend = System.Text.RegularExpressions.Regex.Match(groups!, @"treated (?<t>[\d.]+) \((?<tn>\d+)\) · control (?<c>[\d.]+) \((?<cn>\d+)\)");
                Assert.True(spend.Success, groups);
                Assert.Equal(revenue["treatedPerShopper"]!.GetValue<double>(), double.Parse(spend.Groups["t"].Value, CultureInfo.InvariantCulture), 0.006);
                Assert.Equal(revenue["controlPerShopper"]!.GetValue<double>(), double.Parse(spend.Groups["c"].Value, CultureInfo.InvariantCulture), 0.006);
                Assert.Equal((revenue["treatedShoppers"]!.ToString(), revenue["controlShoppers"]!.ToString()), (spend.Groups["tn"].Value, spend.Groups["cn"].Value));
            }

            await Assertions.Expect(page.Locator("#revenue .ros")).ToHaveTextAsync(stats["returnOnSpend"] is JsonValue ros
                ? new System.Text.RegularExpressions.Regex($"^Return on spend {ros.GetValue<double>().ToString("0.0", CultureInfo.InvariantCulture)}×")
                : new System.Text.RegularExpressions.Regex("^Return on spend: no figure yet"));
            if (revenue["anytimeLow"] is JsonValue anytimeLow)
            {
                await Assertions.Expect(page.Locator("#revenue-chart rect.anytime")).ToHaveAttributeAsync("data-low", Number(anytimeLow));
                await Assertions.Expect(page.Locator("#revenue-chart rect.fixed")).ToHaveAttributeAsync("data-high", Number(revenue["high"]));
            }

            // Only snacks is the brand's: the other zones stay grey, and a hidden figure reads "under 5".
            var snacks = SimulatedDay.Zone(seen, "snacks");
            Assert.Single(seen["zones"]!.AsArray());
            await Assertions.Expect(page.Locator("#brand-heat [data-zone=snacks]")).ToHaveAttributeAsync("data-footfall", snacks["footfall"]!.ToString());
            await Assertions.Expect(page.Locator("#brand-heat [data-zone=dairy] .sub")).ToHaveTextAsync("not in your offers");
            await Assertions.Expect(page.Locator("#brand-funnel-zone")).ToHaveTextAsync("Snacks");
            foreach (var stage in new[] { "passed", "dwelt", "offered", "opened", "redeemed" })
            {
                var value = snacks["funnel"]![stage];
                await Assertions.Expect(page.Locator($"#brand-funnel [data-stage={stage}]")).ToHaveAttributeAsync("data-value", value?.ToString() ?? "suppressed");
            }

            await Assertions.Expect(page.Locator("#brand-zone-table tbody tr")).ToHaveCountAsync(1);
            await page.SetViewportSizeAsync(1280, 1000);
            await console.ScreenshotAsync("console-analytics");
            console.AssertNoErrors();
        }
    }

    /// <summary>A JSON number as the page writes it in a data attribute (JavaScript's own number to string).</summary>
    private static string Number(JsonNode? value) => value is null ? "" : value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The page writes money to the cent (JavaScript's toFixed, which may round a half cent the other way).</summary>
    private static async Task AssertMoneyAsync(ILocator cell, JsonNode? value)
    {
        await Assertions.Expect(cell).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d\d$"));
        Assert.Equal(value!.GetValue<double>(), double.Parse((await cell.TextContentAsync())!, CultureInfo.InvariantCulture), 0.006);
    }
}
