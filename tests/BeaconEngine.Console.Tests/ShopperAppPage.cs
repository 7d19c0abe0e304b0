using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;
using BeaconEngine.Testing;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>The shopper's web app (/app/) in a phone-sized Chromium page, driven as a shopper would: by labels and buttons.</summary>
public sealed class ShopperAppPage(ConsolePage console, Scenario store)
{
    public const int Width = 390;
    public const int Height = 844;

    public IPage Page => console.Page;

    public ConsolePage Console => console;

    public ILocator Coupons => Page.Locator("#coupons li.coupon:not(.leaving)");

    public ILocator Notices => Page.Locator("#notices .notice");

    /// <summary>The notice that says <paramref name="text"/> (new coupons and coupons leaving are announced there).</summary>
    public ILocator Notice(string text) => Page.Locator("#notices .notice", new() { HasText = text });

    public ILocator Dialog => Page.Locator("#coupon");

    public ILocator Connection => Page.Locator("#connection");

    public static async Task<ShopperAppPage> OpenAsync(ConsoleFixture fixture, Scenario store)
    {
        // The app's screens follow a live connection and the wallet's polls (2 s while a coupon is open); on two
        // shared cores Playwright's 5 s default for an expectation is short, so these wait up to 15 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        return new(await fixture.OpenAsync(Width, Height), store);
    }

    /// <summary>Opens the store's join link and joins with the given choices; returns the shopper the app enrolled.</summary>
    public async Task<EnrolledShopper> JoinAsync(bool proximity = true, bool offers = true)
    {
        await Page.GotoAsync(new Uri(store.Host.BaseAddress, $"/app/?store={store.StoreId}&name=Corner%20Market").ToString());
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Join Corner Market" })).ToBeVisibleAsync();
        var join = Page.Locator("#join");
        var aisle = join.GetByLabel("Let the store notice which aisle I am in");
        var offersBox = join.GetByLabel("Send me offers while I shop");

        // Nothing is chosen for the shopper.
        await Assertions.Expect(aisle).Not.ToBeCheckedAsync();
        await Assertions.Expect(offersBox).Not.ToBeCheckedAsync();
        await aisle.SetCheckedAsync(proximity);
        await offersBox.SetCheckedAsync(offers);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your coupons" })).ToBeVisibleAsync();
        return await ShopperAsync() ?? throw new InvalidOperationException("The app kept no session after joining.");
    }

    /// <summary>The shopper the app holds in its local storage, or null when it holds none.</summary>
    public async Task<EnrolledShopper?> ShopperAsync()
    {
        var json = await Page.EvaluateAsync<string?>("() => localStorage.getItem('beaconengine.app.session')");
        if (json is null)
        {
            return null;
        }

        var session = JsonNode.Parse(json)!;
        var ad = session["advertisement"]!;
        return new EnrolledShopper(
            session["shopperId"]!.GetValue<string>(),
            session["token"]!.GetValue<string>(),
            ad["uuid"]!.GetValue<string>(),
            ad["major"]!.GetValue<int>(),
            ad["minor"]!.GetValue<int>());
    }

    /// <summary>Waits until the hub connection is up, so what the server pushes now reaches the page live.</summary>
    public Task LiveAsync() => Assertions.Expect(Connection).ToHaveTextAsync("Live");

    public ILocator Coupon(string couponId) => Page.Locator($"#coupons li.coupon[data-coupon-id='{couponId}']");

    /// <summary>Runs axe-core in the page and fails on any serious or critical violation, naming each and where.</summary>
    public async Task AssertAccessibleAsync(string what)
    {
        var result = await Page.RunAxe();
        var bad = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(bad.Count == 0, $"{what} has accessibility violations:{Environment.NewLine}{string.Join(Environment.NewLine, bad)}");
    }

    /// <summary>Nothing makes the page scroll sideways on the phone's screen.</summary>
    public async Task AssertFitsAsync(string what)
    {
        var scrollWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= Width, $"{what} is {scrollWidth} px wide on a {Width} px screen");
    }

    /// <summary>Reads the barcode drawn in the page with a real scanner's decoder (zbarimg) from a screenshot of it.</summary>
    public async Task<string> ScanBarcodeAsync()
    {
        var image = Path.Combine(Path.GetTempPath(), $"beaconengine-barcode-{Guid.NewGuid():N}.png");
        try
        {
            await Page.Locator("#coupon-barcode svg").ScreenshotAsync(new() { Path = image });
            return await Zbar.ScanAsync(image);
        }
        finally
        {
            File.Delete(image);
        }
    }

    public Task ScreenshotAsync(string name) => console.ScreenshotAsync(name, fullPage: false);
}

/// <summary>zbarimg (Debian's zbar-tools), the barcode decoder the till's scanner stands for.</summary>
public static class Zbar
{
    public static async Task<string> ScanAsync(string image)
    {
        var zbarimg = Prerequisite.Executable("zbar-tools", ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"], "BEACONENGINE_ZBARIMG");
        var start = new ProcessStartInfo(zbarimg) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--raw", "--quiet", "-Sdisable", "-Scode128.enable", image])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"zbarimg found no Code 128 barcode in the page's drawing (exit {process.ExitCode}): {await errors}");
        return (await output).Trim();
    }
}

/// <summary>The store's side of the app's tests: the till and the operator's view.</summary>
public static class StoreSide
{
    /// <summary>The till scans the code: 200 the first time.</summary>
    public static async Task RedeemAsync(Scenario store, string code)
    {
        var till = await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/tills", new { tillId = $"till-{Guid.NewGuid():N}"[..12] }), HttpStatusCode.Created);
        using var client = store.Host.CreateClient(till["key"]!.GetValue<string>());
        await Scenario.Expect(await client.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code }), HttpStatusCode.OK);
    }

    public static async Task<JsonArray> WalletAsync(Scenario store, EnrolledShopper shopper)
    {
        using var me = store.Host.CreateClient(shopper.Token);
        return (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
    }

    /// <summary>Sets contact limits off, so one walk can be offered several coupons in a row.</summary>
    public static async Task NoContactLimitsAsync(Scenario store) =>
        await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new
        {
            name = "Corner Market",
            timeZone = "Europe/Warsaw",
            zones = new object[]
            {
                new { id = "dairy", name = "Dairy", kind = "aisle", category = "dairy", neighbors = new[] { "snacks" } },
                new { id = "snacks", name = "Snacks", kind = "aisle", category = "snacks", neighbors = new[] { "dairy" } },
            },
            contactPolicy = new { maxCouponsPerDay = 50, minGapMinutes = 0, quietAfterDismissalMinutes = 0 },
        }), HttpStatusCode.OK);
}
