using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>Budgets are exact under a crowd and across restarts; a code is redeemed once however many tills scan it; coupons expire on time.</summary>
[Collection(SharedEngineA.Name)]
public sealed class BudgetAndRedemptionTests(EngineFixture fixture)
{
    [Fact]
    public async Task A_thousand_shoppers_at_once_get_exactly_the_hundred_coupons_of_the_budget_also_after_a_restart()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            string offerId, brandKey;
            List<EnrolledShopper> shoppers;
            Scenario store;
            await using (var first = await EngineHost.StartAsync(data))
            {
                store = await Scenario.CreateAsync(first);
                offerId = await store.CreateOfferAsync("dairy", extra: new { budget = new { maxCoupons = 100 } });
                brandKey = store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!;
                shoppers = await EnrolManyAsync(store, 1_000);

                // All of them step into dairy at the same moment: ten gateway batches of 100 shoppers, sent at once.
                await SendAllAtOnceAsync(store, shoppers, DateTimeOffset.UtcNow.AddSeconds(-5));
                await AssertCouponsAsync(first, shoppers, offerId, brandKey, expected: 100);
            }

            // After a restart the spent budget stays spent: the same crowd walks in again and gets nothing more.
            await using var second = await EngineHost.StartAsync(data);
            using var again = store.MovedTo(second);
            store.Dispose();
            await SendAllAtOnceAsync(again, shoppers, DateTimeOffset.UtcNow.AddSeconds(-2));
            await AssertCouponsAsync(second, shoppers, offerId, brandKey, expected: 100);
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task A_reservation_whose_coupon_never_reached_a_wallet_is_given_back_after_a_restart()
    {
        var data = EngineHost.NewDataPath();
        string[] fastGrace = ["--BeaconEngine:Engine:ReservationGrace", "00:00:00.500"];
        try
        {
            string offerId, brandKey;
            await using (var first = await EngineHost.StartAsync(data, fastGrace))
            {
                using var store = await Scenario.CreateAsync(first);
                offerId = await store.CreateOfferAsync("dairy", extra: new { budget = new { maxCoupons = 3 } });
                brandKey = store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!;
                var shopper = await store.EnrolAsync();
                var lucky = await store.EnrolAsync();
                await store.PostSightingsAsync("gw-dairy", Scenario.Approach(lucky));

                // What a process killed between the offer's reservation and the wallet's write leaves behind.
                var grains = first.Services.GetRequiredService<IGrainFactory>();
                Assert.NotNull(await grains.GetGrain<IOfferGrain>(offerId).TryReserve(new CouponReservation("cpn_lost", shopper.ShopperId, DateTimeOffset.UtcNow.AddHours(1))));
                var stats = await StatsAsync(first, brandKey, offerId);
                Assert.Equal((2, 1), (stats.Issued, stats.RemainingBudget));
                await first.StopAsync();
            }

            await using var second = await EngineHost.StartAsync(data, fastGrace);

            // Reading the stats wakes the offer, which asks the wallet, finds no coupon and takes the unit back;
            // the coupon that did reach a wallet stays counted.
            var now = await Eventually.WaitAsync(() => StatsAsync(second, brandKey, offerId), s => s.Issued == 1, TimeSpan.FromSeconds(20), "the lost unit to be given back");
            Assert.Equal((1, 2), (now.Issued, now.RemainingBudget));

            // And it stays that way: the real coupon is held, so nothing more is given back. A negative over the
            // server's own clock (three grace periods); the grain tests show the settlement exactly on a fake one.
            await Task.Delay(1_500);
            now = await StatsAsync(second, brandKey, offerId);
            Assert.Equal((1, 2), (now.Issued, now.RemainingBudget));
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task Tills_scanning_one_code_at_the_same_moment_redeem_it_exactly_once()
    {
        var host = fixture.Host;
        using var store = await Scenario.CreateAsync(host);
        var offerId = await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        using var me = host.CreateClient(shopper.Token);
        var wallet = await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        var code = wallet["coupons"]![0]!["code"]!.GetValue<string>();

        // Sixteen tills, each on its own connection, released together.
        var tills = Enumerable.Range(0, 16).Select(_ => host.CreateClient(EngineHost.AdminKey)).ToList();
        using var start = new ManualResetEventSlim();
        var scans = tills.Select(till => Task.Run(async () =>
        {
            start.Wait();
            return await till.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code });
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(scans);

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        foreach (var conflict in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            await Scenario.ExpectProblem(conflict, HttpStatusCode.Conflict);
        }

        var stats = await StatsAsync(host, store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!, offerId);
        Assert.Equal(1, stats.Redeemed);
        Assert.Empty((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray());
        tills.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task A_sealed_code_typed_by_hand_redeems_once_names_its_shopper_at_the_till_and_names_nobody_after_erasure()
    {
        var host = fixture.Host;
        using var store = await Scenario.CreateAsync(host);
        await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        using var me = host.CreateClient(shopper.Token);
        var code = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();
        using var till = host.CreateClient(EngineHost.AdminKey);
        var redemptions = $"/api/v1/stores/{store.StoreId}/redemptions";

        // Typed by hand: lower case, in groups of five, O for 0 and L for 1.
        var typed = string.Join('-', code.Chunk(5).Select(c => new string(c))).ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');
        var redeemed = await Scenario.Expect(await till.PostAsJsonAsync(redemptions, new { code = typed }), HttpStatusCode.OK);
        Assert.Equal(shopper.ShopperId, redeemed["shopperId"]!.GetValue<string>());
        await Scenario.ExpectProblem(await till.PostAsJsonAsync(redemptions, new { code }), HttpStatusCode.Conflict);

        // Another store's till does not know it; a character changed names no coupon.
        using var other = await Scenario.CreateAsync(host);
        await Scenario.ExpectProblem(await till.PostAsJsonAsync($"/api/v1/stores/{other.StoreId}/redemptions", new { code }), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await till.PostAsJsonAsync(redemptions, new { code = code[..^1] + (code[^1] == 'A' ? 'B' : 'A') }), HttpStatusCode.NotFound);

        // The code names its shopper for a basket, until they are erased.
        var basket = new { code, lines = new[] { new { brand = "brand-a", amount = 2.5m } } };
        var purchase = await Scenario.Expect(await till.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", basket), HttpStatusCode.Created);
        Assert.Equal(shopper.ShopperId, purchase["shopperId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await me.DeleteAsync("/api/v1/me")).StatusCode);
        await Scenario.ExpectProblem(await till.PostAsJsonAsync(redemptions, new { code }), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await till.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", basket), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_dismissed_coupon_used_at_the_till_counts_as_redeemed_and_no_longer_as_dismissed()
    {
        var host = fixture.Host;
        using var store = await Scenario.CreateAsync(host);
        var offerId = await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(host.BaseAddress, shopper.Token);
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        var coupon = await phone.NextCouponAsync();
        await phone.DismissAsync(coupon.CouponId!);
        var brandKey = store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!;
        var dismissed = await StatsAsync(host, brandKey, offerId);
        Assert.Equal((1L, 1L, 0L), (dismissed.Delivered, dismissed.Dismissed, dismissed.Redeemed));

        // The shopper changed their mind: the till takes the code, and it counts once, as redeemed.
        using var till = host.CreateClient(EngineHost.AdminKey);
        await Scenario.Expect(await till.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupon.Code }), HttpStatusCode.OK);
        await Scenario.ExpectProblem(await till.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupon.Code }), HttpStatusCode.Conflict);
        var redeemed = await StatsAsync(host, brandKey, offerId);
        Assert.Equal((1L, 0L, 1L, 0L), (redeemed.Delivered, redeemed.Dismissed, redeemed.Redeemed, redeemed.Expired));
    }

    [Fact]
    public async Task A_code_is_filed_once_and_a_till_that_tried_it_before_it_existed_still_redeems_it_once()
    {
        var host = fixture.Host;
        using var store = await Scenario.CreateAsync(host);
        var offerId = await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var book = host.Services.GetRequiredService<CouponCodeBook>();
        var code = grains.GetGrain<ICouponCodeGrain>("TESTCODE01");

        // A till tries the code before it is issued: unknown, and its grain is now active with no ticket.
        Assert.Equal(RedemptionOutcome.NotFound, (await code.Redeem(store.StoreId, DateTimeOffset.UtcNow)).Outcome);

        var ticket = new CouponTicket(store.StoreId, shopper.ShopperId, "cpn_first", offerId, DateTimeOffset.UtcNow.AddHours(1));
        Assert.True(await book.TryFileAsync("TESTCODE01", ticket));

        // Taken: a second coupon drawing the same code is told to draw another, and the first keeps it.
        Assert.False(await book.TryFileAsync("TESTCODE01", ticket with { CouponId = "cpn_second" }));
        Assert.Equal("cpn_first", (await grains.GetGrain<ICouponLookupGrain>("TESTCODE01").GetTicket())?.CouponId);

        // The active grain reads the filed ticket: redeemed once, then already redeemed.
        var redeemed = await code.Redeem(store.StoreId, DateTimeOffset.UtcNow);
        Assert.Equal((RedemptionOutcome.Redeemed, "cpn_first"), (redeemed.Outcome, redeemed.Ticket?.CouponId));
        Assert.Equal(RedemptionOutcome.AlreadyRedeemed, (await code.Redeem(store.StoreId, DateTimeOffset.UtcNow)).Outcome);
    }

    [Fact]
    public async Task A_coupon_expires_on_time_leaves_the_wallet_gets_410_at_the_till_and_counts_as_expired()
    {
        var clock = new ShiftableClock();
        await using var host = await EngineHost.StartAsync(null, s => s.AddSingleton<TimeProvider>(clock));
        using var store = await Scenario.CreateAsync(host);
        var offerId = await store.CreateOfferAsync("dairy", extra: new { couponTtlMinutes = 1 });
        var brandKey = store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!;
        var early = await store.EnrolAsync();
        var late = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", [.. Scenario.Approach(early), .. Scenario.Approach(late)]);
        var earlyCode = await CodeOfAsync(host, early);
        var lateCode = await CodeOfAsync(host, late);

        // Redeemed in time: never counted as expired.
        using var till = host.CreateClient(EngineHost.AdminKey);
        await Scenario.Expect(await till.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = earlyCode }), HttpStatusCode.OK);
        Assert.Equal(0, (await StatsAsync(host, brandKey, offerId)).Expired);

        clock.Offset = TimeSpan.FromSeconds(75);
        using var me = host.CreateClient(late.Token);
        Assert.Empty((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray());
        var detail = await Scenario.ExpectProblem(await till.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = lateCode }), HttpStatusCode.Gone);
        Assert.Contains("expired", detail, StringComparison.Ordinal);
        var stats = await StatsAsync(host, brandKey, offerId);
        Assert.Equal((2, 1, 1), (stats.Issued, stats.Redeemed, stats.Expired));

        // An expired coupon is not pushed again when the phone connects.
        await using var phone = await ShopperApp.ConnectAsync(host.BaseAddress, late.Token);
        await Assert.ThrowsAsync<TimeoutException>(() => phone.NextCouponAsync(TimeSpan.FromMilliseconds(500)));
    }

    internal static async Task<List<EnrolledShopper>> EnrolManyAsync(Scenario store, int count)
    {
        var shoppers = new EnrolledShopper[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => shoppers[i] = await store.EnrolAsync());
        return [.. shoppers];
    }

    private static async Task SendAllAtOnceAsync(Scenario store, List<EnrolledShopper> shoppers, DateTimeOffset at)
    {
        var batches = shoppers.Chunk(100).Select(group => group.SelectMany(s => Scenario.Approach(s, at)).ToList()).ToList();
        using var start = new ManualResetEventSlim();
        var posts = batches.Select(batch => Task.Run(async () =>
        {
            start.Wait();
            var answer = await store.PostSightingsAsync("gw-dairy", batch);
            Assert.Equal(batch.Count, answer["accepted"]!.GetValue<int>());
        })).ToList();
        start.Set();
        await Task.WhenAll(posts);
    }

    private static async Task AssertCouponsAsync(EngineHost host, List<EnrolledShopper> shoppers, string offerId, string brandKey, int expected)
    {
        var held = 0;
        await Parallel.ForEachAsync(shoppers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (s, ct) =>
        {
            using var me = host.CreateClient(s.Token);
            var coupons = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet", ct), HttpStatusCode.OK))["coupons"]!.AsArray();
            Assert.True(coupons.Count <= 1, $"shopper {s.ShopperId} holds {coupons.Count} coupons of one offer");
            Interlocked.Add(ref held, coupons.Count);
        });
        var stats = await StatsAsync(host, brandKey, offerId);
        Assert.Equal((expected, expected, 0L), (held, stats.Issued, stats.RemainingBudget ?? -1));
    }

    private static async Task<string> CodeOfAsync(EngineHost host, EnrolledShopper shopper)
    {
        using var me = host.CreateClient(shopper.Token);
        return (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();
    }

    internal static async Task<OfferStatsDto> StatsAsync(EngineHost host, string brandKey, string offerId)
    {
        using var brand = host.CreateClient(brandKey);
        var json = await Scenario.Expect(await brand.GetAsync($"/api/v1/offers/{offerId}/stats"), HttpStatusCode.OK);
        return new OfferStatsDto(
            json["issued"]!.GetValue<long>(),
            json["redeemed"]!.GetValue<long>(),
            json["expired"]!.GetValue<long>(),
            json["remainingBudget"]?.GetValue<long>(),
            json["delivered"]!.GetValue<long>(),
            json["dismissed"]!.GetValue<long>());
    }

    internal sealed record OfferStatsDto(long Issued, long Redeemed, long Expired, long? RemainingBudget, long Delivered, long Dismissed);
}
