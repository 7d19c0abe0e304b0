using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>The console at a phone's width (390 px): nothing overflows sideways, and the header's controls stay on screen.</summary>
public sealed class PhoneWidthTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const int Width = 390;

    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_brand_reads_an_offers_results_on_a_phone_without_sideways_scrolling()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy", title: "Yoghurt 20 % off", extra: new { holdoutShare = 0 });
        var shopper = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));

        await using var console = await fixture.OpenAsync(Width, 844);
        var page = console.Page;
        await page.GotoAsync($"/console/?store={store.StoreId}");
        await AssertFitsAsync(page, "the sign-in page");
        await page.FillAsync("#key", store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!);
        await page.ClickAsync("#sign-in-button");
        await Assertions.Expect(page.Locator("#who-name")).ToHaveTextAsync("brand-a");
        await Assertions.Expect(page.Locator("[data-kpi=issued] .n")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#by-zone tbody tr")).ToHaveCountAsync(1);

        await AssertFitsAsync(page, "the brand's results");
        await AssertOnScreenAsync(page, "#sign-out");
        await AssertOnScreenAsync(page, "#who-name");
        await console.ScreenshotAsync("brand-console-390");

        // The offer editor too.
        await page.ClickAsync("#new-offer");
        await Assertions.Expect(page.Locator("#editor")).ToBeVisibleAsync();
        await AssertFitsAsync(page, "the offer editor");
        await AssertOnScreenAsync(page, "#offer-save");
        console.AssertNoErrors();
    }

    [Fact]
    public async Task The_operator_watches_the_store_on_a_phone_without_sideways_scrolling()
    {
        using var store = await Scenario.CreateAsync(Host);
        var shopper = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));

        await using var console = await fixture.OpenAsync(Width, 844);
        var page = console.Page;
        await page.GotoAsync($"/console/?store={store.StoreId}");
        await page.FillAsync("#key", EngineHost.AdminKey);
        await page.ClickAsync("#sign-in-button");
        await Assertions.Expect(page.Locator("#live-plan [data-zone=dairy] .sub")).ToHaveTextAsync("1 shopper");
        await Assertions.Expect(page.Locator("#gateways tbody tr")).ToHaveCountAsync(2);

        await AssertFitsAsync(page, "the operator's live view");
        await AssertOnScreenAsync(page, "#sign-out");
        await console.ScreenshotAsync("operator-console-390");
        console.AssertNoErrors();
    }

    /// <summary>The page is no wider than the screen: nothing makes it scroll sideways.</summary>
    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= Width, $"{what} is {scrollWidth} px wide on a {Width} px screen");
    }

    private static async Task AssertOnScreenAsync(IPage page, string selector)
    {
        var box = await page.Locator(selector).BoundingBoxAsync();
        Assert.True(box is not null, $"{selector} is not displayed");
        Assert.True(box!.X >= 0 && box.X + box.Width <= Width, $"{selector} spans {box.X:0} to {box.X + box.Width:0} px on a {Width} px screen");
    }
}
