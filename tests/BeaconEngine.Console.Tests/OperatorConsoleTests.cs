using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>The operator's live view of the store, and the API reference page, in headless Chromium.</summary>
public sealed class OperatorConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task The_operator_watches_shoppers_per_zone_gateways_and_coupons_per_minute_live()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy", title: "Yoghurt 20 % off");
        var first = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, first.Token);
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(first));
        await phone.NextCouponAsync();

        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await page.GotoAsync($"/console/?store={store.StoreId}");
        await Assertions.Expect(page.Locator("#store")).ToHaveValueAsync(store.StoreId);
        await page.FillAsync("#key", EngineHost.AdminKey);
        await page.ClickAsync("#sign-in-button");
        await Assertions.Expect(page.Locator("#who-role")).ToHaveTextAsync("operator");

        var dairy = page.Locator("#live-plan [data-zone=dairy] .sub");
        var snacks = page.Locator("#live-plan [data-zone=snacks] .sub");
        await Assertions.Expect(dairy).ToHaveTextAsync("1 shopper");
        await Assertions.Expect(snacks).ToHaveTextAsync("0 shoppers");
        await Assertions.Expect(page.Locator("#gateways tr[data-gateway=gw-dairy] td.fresh")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ s ago$"));
        await Assertions.Expect(page.Locator("#gateways tr[data-gateway=gw-snacks] td.stale")).ToHaveTextAsync("never");
        await Assertions.Expect(page.Locator("#cpm-total")).ToHaveTextAsync("1 in the last 30 minutes");
        await Assertions.Expect(page.Locator("#cpm rect[data-value='1']")).ToHaveCountAsync(1);

        // A second shopper walks into the dairy aisle while the page is open; the counts follow without a reload.
        var second = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(second));
        await Assertions.Expect(dairy).ToHaveTextAsync("2 shoppers");
        await Assertions.Expect(page.Locator("#cpm-total")).ToHaveTextAsync("2 in the last 30 minutes");

        // Counts only: no shopper's id reaches the operator's page.
        Assert.DoesNotContain(first.ShopperId, await page.ContentAsync(), StringComparison.Ordinal);

        await console.ScreenshotAsync("operator-console");
        console.AssertNoErrors();
    }

    [Fact]
    public async Task The_api_reference_page_renders_the_openapi_document()
    {
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await page.GotoAsync("/console/");
        await page.ClickAsync("text=API reference");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/docs/$"));

        // Scalar renders /openapi/v1.json: every tag's operations are listed, with their summaries.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "BeaconEngine API", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var sidebar = page.GetByRole(AriaRole.Complementary);
        foreach (var operation in (string[])["Report a basket from the till", "Give or withdraw consent", "An offer's results", "Send a gateway's batch of sightings"])
        {
            await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = operation }).First).ToBeAttachedAsync();
        }

        await console.ScreenshotAsync("api-reference", fullPage: false);
        console.AssertNoErrors();
    }
}
