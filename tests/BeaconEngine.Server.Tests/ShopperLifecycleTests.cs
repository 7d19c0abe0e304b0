using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>Dismissal, budgets, offer changes and erasure, through the public API and the hub.</summary>
[Collection(SharedEngineB.Name)]
public sealed class ShopperLifecycleTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_dismissed_coupon_leaves_the_wallet_and_counts_as_delivered_and_dismissed()
    {
        using var store = await Scenario.CreateAsync(Host);
        var offerId = await store.CreateOfferAsync("snacks");
        var shopper = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, shopper.Token, HubProtocol.MessagePack);

        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
        var coupon = await phone.NextCouponAsync();
        await phone.DismissAsync(coupon.CouponId!);

        using var me = Host.CreateClient(shopper.Token);
        var wallet = await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Empty(wallet["coupons"]!.AsArray());
        var stats = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        Assert.Equal((1L, 1L, 1L, 0L), (stats["issued"]!.GetValue<long>(), stats["delivered"]!.GetValue<long>(), stats["dismissed"]!.GetValue<long>(), stats["redeemed"]!.GetValue<long>()));

        // Acking or dismissing someone else's coupon is an error the app sees.
        var stranger = await store.EnrolAsync();
        await using var strangerPhone = await ShopperApp.ConnectAsync(Host.BaseAddress, stranger.Token);
        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => strangerPhone.AckAsync(coupon.CouponId!));
        Assert.Contains("no coupon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spent_budget_issues_no_more_coupons()
    {
        using var store = await Scenario.CreateAsync(Host);
        var offerId = await store.CreateOfferAsync("dairy", extra: new { budget = new { maxCoupons = 2 } });
        var shoppers = new List<EnrolledShopper>();
        for (var i = 0; i < 4; i++)
        {
            shoppers.Add(await store.EnrolAsync());
        }

        // Each batch is fully processed, coupon included, before the gateway gets its 202.
        foreach (var shopper in shoppers)
        {
            await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        }

        var held = 0;
        foreach (var shopper in shoppers)
        {
            using var me = Host.CreateClient(shopper.Token);
            var wallet = await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
            held += wallet["coupons"]!.AsArray().Count;
        }

        Assert.Equal(2, held);
        var stats = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        Assert.Equal(2, stats["issued"]!.GetValue<long>());
        Assert.Equal(0, stats["remainingBudget"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_updated_offer_fires_with_its_new_terms_and_a_deleted_one_stops_firing()
    {
        using var store = await Scenario.CreateAsync(Host);
        var brand = store.Brands["brand-a"];
        var offerId = await store.CreateOfferAsync("dairy");

        var update = await brand.PutAsJsonAsync($"/api/v1/offers/{offerId}", new
        {
            storeId = store.StoreId,
            zoneIds = new[] { "snacks" },
            title = "Now in snacks",
            discount = new { kind = "amount", value = 2.5 },
            couponTtlMinutes = 15,

            // A PUT replaces the whole offer: without this the default 10 % control group applies again.
            holdoutShare = 0,
        });
        var updated = await Scenario.Expect(update, HttpStatusCode.OK);
        Assert.Equal("Now in snacks", updated["title"]!.GetValue<string>());

        var shopper = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(Host.BaseAddress, shopper.Token);
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper));
        var coupon = await phone.NextCouponAsync();
        Assert.Equal(("Now in snacks", "amount", 2.5, "snacks"), (coupon.Title, coupon.Discount!.Kind, coupon.Discount.Value, coupon.ZoneId));

        Assert.Equal(HttpStatusCode.NoContent, (await brand.DeleteAsync($"/api/v1/offers/{offerId}")).StatusCode);
        await Scenario.ExpectProblem(await brand.GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.NotFound);
        var list = await Scenario.Expect(await brand.GetAsync("/api/v1/offers"), HttpStatusCode.OK);
        Assert.Empty(list["offers"]!.AsArray());

        var late = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-snacks", Scenario.Approach(late));
        using var lateApi = Host.CreateClient(late.Token);
        var wallet = await Scenario.Expect(await lateApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Empty(wallet["coupons"]!.AsArray());

        // The coupon issued before the deletion still redeems, and the brand still reads the retired offer's results.
        await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupon.Code }), HttpStatusCode.OK);
        var stats = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        Assert.Equal((true, 1L, 1L), (stats["retired"]!.GetValue<bool>(), stats["issued"]!.GetValue<long>(), stats["redeemed"]!.GetValue<long>()));
        using var otherBrand = await store.RegisterBrandAsync("brand-b");
        await Scenario.ExpectProblem(await otherBrand.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_shopper_placed_at_their_last_sighting_who_then_goes_silent_keeps_that_stay()
    {
        using var store = await Scenario.CreateAsync(Host);
        await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new
        {
            name = "Test store",
            timeZone = "Europe/Warsaw",
            zones = new object[]
            {
                new { id = "dairy", name = "Dairy", kind = "aisle", category = "dairy", neighbors = new[] { "snacks" } },
                new { id = "snacks", name = "Snacks", kind = "aisle", category = "snacks", neighbors = new[] { "dairy" } },
            },
            proximity = new { exitTimeoutSeconds = 2 },
        }), HttpStatusCode.OK);
        var shopper = await store.EnrolAsync();
        var t0 = DateTimeOffset.UtcNow;

        // Placed by the third sighting, the last one; then nothing more is heard.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, t0));
        // The exit comes from the node's silence watch on the server's clock (the grain tests drive it on a
        // fake one): wait for it, with a deadline.
        var trail = await Eventually.WaitAsync(
            async () => (await Scenario.Expect(
                await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK))["transitions"]!.AsArray(),
            t => t.Count == 2, TimeSpan.FromSeconds(20), "the silence exit");

        Assert.True(trail.Count == 2, $"Expected the dairy stay and then no zone: {trail.ToJsonString()}");
        Assert.Equal("dairy", trail[0]!["zoneId"]!.GetValue<string>());
        Assert.Equal(trail[0]!["enteredAt"]!.GetValue<string>(), trail[0]!["exitedAt"]!.GetValue<string>());
        Assert.Null(trail[1]!["zoneId"]?.GetValue<string>());
    }

    [Fact]
    public async Task Erasure_forgets_the_shopper_their_trail_their_coupons_and_their_token()
    {
        using var store = await Scenario.CreateAsync(Host);
        await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        using var me = Host.CreateClient(shopper.Token);
        var wallet = await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        var code = wallet["coupons"]![0]!["code"]!.GetValue<string>();

        // What the shopper told the engine about themselves goes too: preferences and a linked loyalty card.
        var loyaltyId = $"card-{Guid.NewGuid():N}";
        var interest = $"interest-{Guid.NewGuid():N}";
        await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/preferences", new { interests = new[] { interest } }), HttpStatusCode.OK);
        await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId }), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, (await me.DeleteAsync("/api/v1/me")).StatusCode);

        await Scenario.ExpectProblem(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.Unauthorized);
        await Scenario.ExpectProblem(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code }), HttpStatusCode.NotFound);

        // Nothing of the shopper is left readable in the database files, not even in the write-ahead log. A
        // loaded machine's readers can hold the log for a moment; the erasure then completes in the background.
        var secrets = new Dictionary<string, string>
        {
            ["the shopper id"] = shopper.ShopperId,
            ["the coupon code"] = code,
            ["the loyalty card"] = loyaltyId,
            ["the preferences"] = interest,
            ["the token's hash"] = BeaconEngine.Server.Security.AccessKeys.Hash(shopper.Token),
        };
        await Eventually.WaitAsync(() => LeftoversAsync(Host.DataPath, secrets), found => found.Length == 0, TimeSpan.FromSeconds(15), "the erasure to reach the database files");

        // The phone's beacon identity now belongs to nobody: its sightings are dropped.
        var result = await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        Assert.Equal((0, 3), (result["accepted"]!.GetValue<int>(), result["dropped"]!.GetValue<int>()));
        await Scenario.ExpectProblem(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Enrolment_checks_its_input()
    {
        using var store = await Scenario.CreateAsync(Host);
        using var anonymous = Host.CreateClient();
        await Scenario.ExpectProblem(await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId = store.StoreId }), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId = "nowhere", consent = new { proximity = true, offers = true } }), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId = store.StoreId, consent = new { proximity = true, offers = true }, preferences = "loud" }), HttpStatusCode.BadRequest);

        var created = await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId = store.StoreId, consent = new { proximity = true, offers = false }, preferences = new { categories = new[] { "dairy" } } });
        var body = await Scenario.Expect(created, HttpStatusCode.Created);
        using var me = Host.CreateClient(body["token"]!.GetValue<string>());
        var profile = await Scenario.Expect(await me.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.False(profile["consent"]!["offers"]!.GetValue<bool>());
        Assert.Equal("dairy", profile["preferences"]!["categories"]![0]!.GetValue<string>());
    }

    /// <summary>Where any of the secrets can still be read in the database files: the file, the page and its kind, and the rows naming it.</summary>
    private static async Task<string> LeftoversAsync(string dataPath, IReadOnlyDictionary<string, string> secrets)
    {
        var found = new List<string>();
        foreach (var file in Directory.GetFiles(dataPath, "beaconengine.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var (what, secret) in secrets)
            {
                var at = bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret));
                if (at >= 0)
                {
                    // 4 KB pages; the log has a 32-byte header and 24 bytes before each page.
                    var place = file.EndsWith("-wal", StringComparison.Ordinal) ? $"frame {(at - 32) / (4096 + 24)}" : $"page {at / 4096 + 1}, kind 0x{bytes[at / 4096 * 4096]:x2}";
                    found.Add($"{Path.GetFileName(file)} still holds {what} at byte {at} ({place})");
                }
            }
        }

        if (found.Count > 0)
        {
            // Name the rows that still hold them, if any do (or the bytes are in freed space or old log frames).
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataPath, "beaconengine.db")};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            foreach (var (what, secret) in secrets)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT grain_id, state_name FROM grain_state WHERE instr(grain_id, $s) > 0 OR instr(data, CAST($s AS BLOB)) > 0";
                command.Parameters.AddWithValue("$s", secret);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    found.Add($"row {reader.GetString(0)} / {reader.GetString(1)} holds {what}");
                }
            }
        }

        return string.Join("; ", found);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
