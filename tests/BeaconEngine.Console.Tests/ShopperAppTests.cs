using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>
/// The shopper's web app at a phone's size (390 x 844) in headless Chromium, against the real server: joining with
/// consent, a coupon arriving live from a gateway's batch, the till redeeming it, the wallet offline, "not relevant"
/// and erasure. axe-core checks each screen.
/// </summary>
public sealed class ShopperAppTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_shopper_joins_with_consent_a_coupon_arrives_live_and_leaves_when_the_till_redeems_it()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy", title: "20% off Greek yoghurt");
        var app = await ShopperAppPage.OpenAsync(fixture, store);
        await using var _ = app.Console;
        var page = app.Page;

        await page.GotoAsync($"/app/?store={store.StoreId}&name=Corner%20Market");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join Corner Market" })).ToBeVisibleAsync();
        await app.AssertAccessibleAsync("the join screen");
        await app.AssertFitsAsync("the join screen");
        await app.ScreenshotAsync("shopper-app-join-390");

        var shopper = await app.JoinAsync(proximity: true, offers: true);
        using var me = Host.CreateClient(shopper.Token);
        var profile = await Scenario.Expect(await me.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.True(profile["consent"]!["proximity"]!.GetValue<bool>());
        Assert.True(profile["consent"]!["offers"]!.GetValue<bool>());
        await app.LiveAsync();
        await Assertions.Expect(page.Locator("#empty")).ToBeVisibleAsync();

        // A gateway in the dairy aisle hears the phone: the coupon reaches the open page over the hub.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        await Assertions.Expect(app.Notice("New coupon: 20% off Greek yoghurt")).ToBeVisibleAsync();
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);
        var coupon = Assert.Single(await StoreSide.WalletAsync(store, shopper))!;
        var couponId = coupon["couponId"]!.GetValue<string>();
        var code = coupon["code"]!.GetValue<string>();
        await Assertions.Expect(app.Coupon(couponId)).ToContainTextAsync("New");
        await app.AssertAccessibleAsync("the wallet with a new coupon");
        await app.AssertFitsAsync("the wallet");
        await app.ScreenshotAsync("shopper-app-wallet-390");

        // Opened from the notice: the code, drawn as a barcode a scanner reads, and the server hears it was opened.
        await app.Notice("New coupon: 20% off Greek yoghurt").GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(app.Dialog).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#coupon-code")).ToHaveTextAsync(code);
        Assert.Equal(code, await app.ScanBarcodeAsync());
        await Eventually.WaitAsync(
            async () => (await StoreSide.WalletAsync(store, shopper))[0]!["status"]!.GetValue<string>(), s => s == "delivered", what: "the coupon to be acknowledged");
        await app.AssertAccessibleAsync("the open coupon");
        await app.ScreenshotAsync("shopper-app-coupon-390");

        // The till scans it: the page says so and the coupon leaves the wallet.
        await StoreSide.RedeemAsync(store, code);
        await Assertions.Expect(page.Locator("#coupon-state")).ToHaveTextAsync("Redeemed at the till. Thank you!");
        await Assertions.Expect(page.Locator($"#coupons li[data-coupon-id='{couponId}'][data-state=redeemed]")).ToContainTextAsync("Redeemed at the till");
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        // It is shown leaving for about 5 s, then goes.
        await Assertions.Expect(page.Locator($"#coupons li[data-coupon-id='{couponId}']")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#empty")).ToBeVisibleAsync();
        Assert.Empty(await StoreSide.WalletAsync(store, shopper));
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => localStorage.getItem('beaconengine.wallet')"));
        app.Console.AssertNoErrors();
    }

    [Fact]
    public async Task Offline_a_reload_still_shows_the_wallet_and_its_code()
    {
        // A server of its own, so the test can also take it away altogether.
        var host = await EngineHost.StartAsync();
        await using var __ = host;
        using var store = await Scenario.CreateAsync(host);
        await store.CreateOfferAsync("snacks", title: "1.50 off sharing crisps", extra: new { discount = new { kind = "amount", value = 1.5 } });
        var app = await ShopperAppPage.OpenAsync(fixture, store);
        await using var _ = app.Console;
        var page = app.Page;
        var shopper = await app.JoinAsync();
        await app.LiveAsync();
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);
        var code = (await StoreSide.WalletAsync(store, shopper))[0]!["code"]!.GetValue<string>();

        // The service worker has the app's files once it controls the page.
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");

        await app.Console.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Assertions.Expect(app.Connection).ToHaveTextAsync("Offline: showing your saved coupons");
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);
        await Assertions.Expect(app.Coupons.First).ToContainTextAsync("1.50 off sharing crisps");
        Assert.False(await page.EvaluateAsync<bool>("() => navigator.onLine"));
        await app.Coupons.First.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("#coupon-code")).ToHaveTextAsync(code);
        Assert.Equal(code, await app.ScanBarcodeAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await app.AssertAccessibleAsync("the wallet offline");
        await app.ScreenshotAsync("shopper-app-offline-390");

        // Back online, the app reconnects by itself.
        await app.Console.Context.SetOfflineAsync(false);
        await app.LiveAsync();
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);

        // With the server gone altogether (nothing answers on its port), the app's files come from the service
        // worker's cache and the wallet from local storage.
        await host.StopAsync();
        await page.ReloadAsync();
        await Assertions.Expect(app.Connection).ToHaveTextAsync("Offline: showing your saved coupons");
        await Assertions.Expect(app.Coupons.First).ToContainTextAsync("1.50 off sharing crisps");
        Assert.True(await page.EvaluateAsync<bool>("() => navigator.serviceWorker.controller !== null"));
    }

    [Fact]
    public async Task Not_relevant_closes_the_coupon_and_that_category_is_offered_no_more()
    {
        using var store = await Scenario.CreateAsync(Host);
        await StoreSide.NoContactLimitsAsync(store);
        var first = await store.CreateOfferAsync("dairy", title: "Yoghurt 2 for 1", extra: new { category = "yoghurt" });
        var second = await store.CreateOfferAsync("dairy", title: "Yoghurt 30% off", extra: new { category = "yoghurt" });
        await store.CreateOfferAsync("snacks", title: "Crisps 20% off", extra: new { category = "crisps" });
        var app = await ShopperAppPage.OpenAsync(fixture, store);
        await using var _ = app.Console;
        var page = app.Page;
        var shopper = await app.JoinAsync();
        await app.LiveAsync();

        var start = DateTimeOffset.UtcNow;
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, start));
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);
        var yoghurt = Assert.Single(await StoreSide.WalletAsync(store, shopper))!;
        var yoghurtOffer = yoghurt["offerId"]!.GetValue<string>();
        var otherYoghurt = yoghurtOffer == first ? second : first;
        await app.Coupons.First.GetByRole(AriaRole.Button).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Not relevant to me" }).ClickAsync();
        await Assertions.Expect(app.Dialog).ToBeHiddenAsync();
        await Assertions.Expect(app.Notice("no more offers like this one")).ToBeVisibleAsync();
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(0);
        Assert.Empty(await StoreSide.WalletAsync(store, shopper));

        // Another aisle's offer still comes; back in dairy, the other yoghurt offer does not.
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, start.AddSeconds(5)));
        await Assertions.Expect(app.Notice("New coupon: Crisps 20% off")).ToBeVisibleAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, start.AddSeconds(10)));
        var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        Assert.Equal("dairy", trail["transitions"]!.AsArray()[^1]!["zoneId"]!.GetValue<string>());
        var wallet = await StoreSide.WalletAsync(store, shopper);
        Assert.Equal(["Crisps 20% off"], wallet.Select(c => c!["title"]!.GetValue<string>()));
        var explained = await Scenario.Expect(await store.Admin.GetAsync(
            $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/explain?zoneId=dairy&trigger=enter&at={DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeMilliseconds()}"), HttpStatusCode.OK);
        var candidate = explained["candidates"]!.AsArray().Single(c => c!["offerId"]!.GetValue<string>() == otherYoghurt)!;
        Assert.Equal("dismissedCategory", candidate["outcome"]!.GetValue<string>());
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);
        await Assertions.Expect(app.Coupons.First).ToContainTextAsync("Crisps 20% off");
        app.Console.AssertNoErrors();
    }

    [Fact]
    public async Task Settings_are_saved_and_erase_me_leaves_nothing_behind()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy", title: "20% off Greek yoghurt");
        var app = await ShopperAppPage.OpenAsync(fixture, store);
        await using var _ = app.Console;
        var page = app.Page;
        var shopper = await app.JoinAsync();
        await app.LiveAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);
        using var me = Host.CreateClient(shopper.Token);

        await page.GetByRole(AriaRole.Button, new() { Name = "Settings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings" })).ToBeVisibleAsync();

        // The identity the gateways heard, for a native shell to broadcast (and a demo to send with curl).
        await Assertions.Expect(page.Locator("#signal-uuid")).ToHaveTextAsync(shopper.Uuid);
        await Assertions.Expect(page.Locator("#signal-minor")).ToHaveTextAsync(shopper.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Preferences: interests, never offer and quiet hours.
        await page.GetByLabel("Interests").FillAsync("dairy, bakery");
        await page.GetByLabel("Never offer me").FillAsync("alcohol");
        await page.GetByLabel("From", new() { Exact = true }).FillAsync("21:00");
        await page.GetByLabel("To", new() { Exact = true }).FillAsync("07:30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save preferences" }).ClickAsync();
        await Assertions.Expect(page.Locator("#preferences-form .result")).ToHaveTextAsync("Your preferences are saved.");
        var preferences = await Scenario.Expect(await me.GetAsync("/api/v1/me/preferences"), HttpStatusCode.OK);
        Assert.Equal(["dairy", "bakery"], preferences["interests"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["alcohol"], preferences["neverOffer"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(("21:00", "07:30"), (preferences["quietHours"]!["from"]!.GetValue<string>(), preferences["quietHours"]!["to"]!.GetValue<string>()));

        // Consent can be changed later, each choice on its own.
        await page.Locator("#consent-offers").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).ClickAsync();
        await Assertions.Expect(page.Locator("#consent-form .result")).ToHaveTextAsync("Your choices are saved.");
        var consent = (await Scenario.Expect(await me.GetAsync("/api/v1/me"), HttpStatusCode.OK))["consent"]!;
        Assert.Equal((true, false), (consent["proximity"]!.GetValue<bool>(), consent["offers"]!.GetValue<bool>()));

        // The push channel needs the retailer's push service; this server has none, and the page says so.
        await page.GetByLabel("Also as a notification when the app is closed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save channel" }).ClickAsync();
        await Assertions.Expect(page.Locator("#channel-form .result.bad")).ToHaveTextAsync("This store does not send notifications yet: coupons come in this app.");

        // The loyalty card.
        var card = $"card-{Guid.NewGuid():N}"[..16];
        await page.GetByLabel("Card number").FillAsync(card);
        await page.GetByRole(AriaRole.Button, new() { Name = "Link card" }).ClickAsync();
        await Assertions.Expect(page.Locator("#loyalty-form .result")).ToHaveTextAsync("Your card is linked.");
        Assert.Equal(card, (await Scenario.Expect(await me.GetAsync("/api/v1/me/loyalty"), HttpStatusCode.OK))["loyaltyId"]!.GetValue<string>());
        await app.AssertAccessibleAsync("the settings");
        await app.AssertFitsAsync("the settings");
        await page.Locator("#main").EvaluateAsync("m => window.scrollTo(0, 0)");
        await app.ScreenshotAsync("shopper-app-settings-390");

        // Erase me: asked first; keeping the account changes nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase me" }).ClickAsync();
        var confirm = page.Locator("#erase-confirm");
        await Assertions.Expect(confirm).ToBeVisibleAsync();
        await app.AssertAccessibleAsync("the erasure question");
        await app.ScreenshotAsync("shopper-app-erase-390");
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep my account" }).ClickAsync();
        await Assertions.Expect(confirm).ToBeHiddenAsync();
        await Scenario.Expect(await me.GetAsync("/api/v1/me"), HttpStatusCode.OK);

        await page.GetByRole(AriaRole.Button, new() { Name = "Erase me" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase everything" }).ClickAsync();
        await Assertions.Expect(page.Locator("#erased-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join Corner Market" })).ToBeVisibleAsync();

        // Nothing is left on the phone, the token no longer works, and the store kept nothing of the shopper.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('beaconengine.')).length"));
        Assert.Null(await app.ShopperAsync());
        await Assertions.Expect(page.Locator("#coupons li")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await me.GetAsync("/api/v1/me/wallet")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await me.GetAsync("/api/v1/me")).StatusCode);
        var trail = await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail");
        Assert.True(trail.StatusCode == HttpStatusCode.NotFound || (await trail.Content.ReadFromJsonAsync<JsonObject>())!["transitions"]!.AsArray().Count == 0);
        var other = await store.EnrolAsync();
        using var otherApp = Host.CreateClient(other.Token);
        await Scenario.Expect(await otherApp.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = card }), HttpStatusCode.OK);

        // The page still works: the erased shopper can join again from the same screen.
        await app.AssertAccessibleAsync("the join screen after erasure");
        app.Console.AssertNoErrors("409");
    }

    [Fact]
    public async Task An_expired_coupon_leaves_the_wallet_by_the_phones_clock()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy", title: "Milk 10% off", extra: new { couponTtlMinutes = 1 });
        var app = await ShopperAppPage.OpenAsync(fixture, store);
        await using var _ = app.Console;
        var page = app.Page;

        // The page's clock is the test's to move; the server keeps real time.
        await page.Clock.InstallAsync();
        var shopper = await app.JoinAsync();
        await app.LiveAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);
        var couponId = Assert.Single(await StoreSide.WalletAsync(store, shopper))!["couponId"]!.GetValue<string>();

        await page.Clock.FastForwardAsync("02:00");
        await Assertions.Expect(page.Locator($"#coupons li[data-coupon-id='{couponId}'][data-state=expired]")).ToContainTextAsync("Expired");
        await Assertions.Expect(app.Notice("“Milk 10% off” expired.")).ToBeVisibleAsync();
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task With_the_keyboard_alone_a_coupon_opens_and_closes_and_a_new_arrival_keeps_the_focus()
    {
        using var store = await Scenario.CreateAsync(Host);
        await StoreSide.NoContactLimitsAsync(store);
        await store.CreateOfferAsync("dairy", title: "Butter 15% off", extra: new { category = "butter" });
        await store.CreateOfferAsync("snacks", title: "Nuts 25% off", extra: new { category = "nuts" });
        var app = await ShopperAppPage.OpenAsync(fixture, store);
        await using var _ = app.Console;
        var page = app.Page;
        var shopper = await app.JoinAsync();
        await app.LiveAsync();
        var start = DateTimeOffset.UtcNow;
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, start));
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(1);
        var butter = app.Coupons.Filter(new() { HasText = "Butter 15% off" }).GetByRole(AriaRole.Button);
        await butter.FocusAsync();

        // A second coupon arrives and the list is drawn again: the focus stays on the coupon the shopper was on.
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, start.AddSeconds(5)));
        await Assertions.Expect(app.Coupons).ToHaveCountAsync(2);
        await Assertions.Expect(butter).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(app.Dialog).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#coupon-title")).ToHaveTextAsync("Butter 15% off");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Done" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(app.Dialog).ToBeHiddenAsync();
        await Assertions.Expect(app.Coupons.Filter(new() { HasText = "Butter 15% off" }).GetByRole(AriaRole.Button)).ToBeFocusedAsync();
        app.Console.AssertNoErrors();
    }

    [Fact]
    public async Task Joining_with_proximity_only_gives_the_store_no_consent_to_send_offers()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy");
        var app = await ShopperAppPage.OpenAsync(fixture, store);
        await using var _ = app.Console;
        var shopper = await app.JoinAsync(proximity: true, offers: false);
        using var me = Host.CreateClient(shopper.Token);
        var consent = (await Scenario.Expect(await me.GetAsync("/api/v1/me"), HttpStatusCode.OK))["consent"]!;
        Assert.Equal((true, false), (consent["proximity"]!.GetValue<bool>(), consent["offers"]!.GetValue<bool>()));
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        Assert.Empty(await StoreSide.WalletAsync(store, shopper));
        await Assertions.Expect(app.Page.Locator("#empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Without_a_store_in_the_link_the_app_asks_for_the_store_code()
    {
        using var store = await Scenario.CreateAsync(Host);
        var app = await ShopperAppPage.OpenAsync(fixture, store);
        await using var _ = app.Console;
        var page = app.Page;
        await page.GotoAsync("/app");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/app/$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(page.Locator("#join-error")).ToHaveTextAsync("Enter the store code from the link or the QR code.");
        await page.GetByLabel("Store code").FillAsync("no-such-store");
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(page.Locator("#join-error")).ToHaveTextAsync("There is no store 'no-such-store'.");
        await page.GetByLabel("Store code").FillAsync(store.StoreId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your coupons" })).ToBeVisibleAsync();
        app.Console.AssertNoErrors("400");
    }
}
