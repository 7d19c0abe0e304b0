using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>The operator calibrates the store from the console, in headless Chromium, while the gateways hear the walk's device.</summary>
public sealed class CalibrationConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task The_operator_starts_a_walk_taps_zones_on_the_plan_drawn_to_scale_fits_and_reads_the_report()
    {
        using var store = await Scenario.CreateAsync(Host);

        // The layout gives the aisles' outlines and the gateways' positions: the plan is drawn to scale.
        await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new
        {
            name = "Scaled store",
            zones = new object[]
            {
                new { id = "dairy", name = "Dairy", neighbors = new[] { "snacks" }, shape = new { type = "rect", x = 0, y = 0, width = 6, height = 4 } },
                new { id = "snacks", name = "Snacks", neighbors = new[] { "dairy" }, shape = new { type = "rect", x = 6, y = 0, width = 6, height = 4 } },
            },
        }), HttpStatusCode.OK);
        await store.RegisterGatewayAsync("gw-north", "snacks");
        using (var positioned = Host.CreateClient(EngineHost.AdminKey))
        {
            await Scenario.Expect(await positioned.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/gateways", new { gatewayId = "gw-far", zoneId = "dairy", position = new { x = 1, y = 2 } }), HttpStatusCode.Created);
        }

        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await page.GotoAsync($"/console/?store={store.StoreId}");
        await page.FillAsync("#key", EngineHost.AdminKey);
        await page.ClickAsync("#sign-in-button");
        await Assertions.Expect(page.Locator("#cal-status")).ToContainTextAsync("Not calibrated");

        await page.ClickAsync("#cal-start");
        await Assertions.Expect(page.Locator("#cal-major")).ToHaveTextAsync("65535");
        var uuid = await page.Locator("#cal-uuid").TextContentAsync();
        var minor = int.Parse((await page.Locator("#cal-minor").TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#cal-scale")).ToHaveTextAsync("· drawn to scale");
        await Assertions.Expect(page.Locator("#cal-plan [data-zone=dairy] polygon")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#cal-plan circle[data-gateway=gw-far]")).ToHaveCountAsync(1);

        // The live view draws the same floor to scale.
        await Assertions.Expect(page.Locator("#live-plan [data-zone=snacks] polygon")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#live-plan [data-zone=snacks] .sub")).ToHaveTextAsync("0 shoppers");

        // 12 m of floor across 608 px: 6 m aisles are half the plan each.
        var dairyBox = await page.Locator("#cal-plan [data-zone=dairy] polygon").BoundingBoxAsync();
        var snacksBox = await page.Locator("#cal-plan [data-zone=snacks] polygon").BoundingBoxAsync();
        Assert.Equal(dairyBox!.Width, snacksBox!.Width, 1.0);

        // (The outline's stroke adds a pixel or two to each box.)
        Assert.Equal(dairyBox.Width * 4 / 6, dairyBox.Height, 4.0);

        // I am in dairy: tap it, and the gateways hear the device there; then snacks.
        await WalkInAsync(page, store, "dairy", "Dairy", uuid!, minor, dairy: -55, snacks: -75);
        await WalkInAsync(page, store, "snacks", "Snacks", uuid!, minor, dairy: -58, snacks: -62);
        await page.ClickAsync("#cal-pause");
        await Assertions.Expect(page.Locator("#cal-here")).ToContainTextAsync("Not in a zone");
        await Assertions.Expect(page.Locator("#cal-heard")).ToContainTextAsync("80 sightings heard");

        await page.ClickAsync("#cal-fit");
        await Assertions.Expect(page.Locator("#cal-report")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#cal-samples tr[data-key=dairy] td").Nth(1)).ToHaveTextAsync("40");
        await Assertions.Expect(page.Locator("#cal-samples tr[data-key=snacks] td").Nth(1)).ToHaveTextAsync("40");
        await Assertions.Expect(page.Locator("#cal-corrections tr[data-key=gw-snacks] td").Nth(1)).ToHaveTextAsync("+4.0 dB");
        await Assertions.Expect(page.Locator("#cal-after")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d %$"));
        await Assertions.Expect(page.Locator("#cal-uncovered")).ToHaveTextAsync("The walk covered every zone.");

        // A fraction of a second in each zone: the report asks for a longer walk of both.
        await Assertions.Expect(page.Locator("#cal-brief")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            @"^Walked for less than a minute, so learnt from little: Dairy \(\d s\), Snacks \(\d s\)\. Walk them again for a minute or more each and fit again\.$"));
        await Assertions.Expect(page.Locator("#cal-status")).ToContainTextAsync("Calibrated by cal_");
        await Assertions.Expect(page.Locator("#cal-remove")).ToBeVisibleAsync();

        var active = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/calibration"), HttpStatusCode.OK);
        Assert.Equal(["dairy", "snacks"], active["zonesCalibrated"]!.AsArray().Select(z => z!.GetValue<string>()));

        await console.ScreenshotAsync("operator-calibration");
        console.AssertNoErrors();
    }

    /// <summary>Taps the zone, waits for the console to confirm the mark, then each gateway sends 20 sightings of the device from then on.</summary>
    private static async Task WalkInAsync(IPage page, Scenario store, string zoneId, string name, string uuid, int minor, double dairy, double snacks)
    {
        await page.ClickAsync($"#cal-plan [data-zone={zoneId}]");
        await Assertions.Expect(page.Locator("#cal-here")).ToContainTextAsync($"In {name} since");
        await Assertions.Expect(page.Locator($"#cal-plan [data-zone={zoneId}]")).ToHaveClassAsync("zone selected");

        // The mark took the server's clock when the tap arrived; the sightings follow it, 10 ms apart.
        var from = DateTimeOffset.UtcNow.AddMilliseconds(50);
        foreach (var (gateway, rssi) in new[] { ("gw-dairy", dairy), ("gw-snacks", snacks) })
        {
            var sent = await store.PostSightingsAsync(gateway, [.. Enumerable.Range(0, 20).Select(i => (object)new
            {
                ts = from.AddMilliseconds(10 * i).ToUnixTimeMilliseconds(),
                rssi,
                ibeacon = new { uuid, major = 65535, minor },
            })]);
            Assert.Equal(20, sent["accepted"]!.GetValue<int>());
        }

        // Past the last sighting before the next tap.
        while (DateTimeOffset.UtcNow < from.AddMilliseconds(300))
        {
            await Task.Delay(50);
        }
    }
}
