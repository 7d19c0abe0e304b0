using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// The server is SIGKILLed while tills redeem a stream of codes, right after phones acknowledged and dismissed
/// their coupons, and started again. Tills whose scan got no answer scan again (they always do). Afterwards the
/// codes, the wallets and the offer's counts agree exactly: no redemption is lost from a wallet or the stats,
/// and no acknowledgement or dismissal counts twice when the shoppers' outboxes are sent again.
/// </summary>
public sealed class FeedbackCrashTests
{
    private const int Shoppers = 48;

    [Fact]
    public async Task After_a_sigkill_during_redemptions_codes_wallets_and_counts_agree_and_nothing_counts_twice()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            Scenario store;
            string offerId;
            List<(EnrolledShopper Shopper, string CouponId, string Code)> coupons;
            var acked = new List<int>();
            var dismissed = new List<int>();
            var answered = new ConcurrentDictionary<int, HttpStatusCode>();
            var process = await ServerProcess.StartAsync(data);
            try
            {
                var host = EngineHost.Attach(process.BaseAddress, data);
                store = await Scenario.CreateAsync(host);
                offerId = await store.CreateOfferAsync("dairy");
                var shoppers = await BudgetAndRedemptionTests.EnrolManyAsync(store, Shoppers);
                var at = DateTimeOffset.UtcNow;
                foreach (var chunk in shoppers.Chunk(16))
                {
                    await store.PostSightingsAsync("gw-dairy", chunk.SelectMany(s => Scenario.Approach(s, at)));
                }

                coupons = [];
                foreach (var s in shoppers)
                {
                    var held = await Eventually.WaitAsync(() => WalletAsync(host, s), w => w.Count == 1, TimeSpan.FromSeconds(20), "every shopper's coupon");
                    coupons.Add((s, held[0].CouponId, held[0].Code));
                }

                // A third of the phones acknowledge their coupon and a sixth dismiss it; all of it is answered
                // (stored) before the kill, so none of it may be lost or counted twice after it.
                for (var i = 0; i < Shoppers / 2; i++)
                {
                    await using var phone = await ShopperApp.ConnectAsync(process.BaseAddress, coupons[i].Shopper.Token);
                    if (i % 3 == 2)
                    {
                        await phone.DismissAsync(coupons[i].CouponId);
                        dismissed.Add(i);
                    }
                    else
                    {
                        await phone.AckAsync(coupons[i].CouponId);
                        acked.Add(i);
                    }
                }

                // Tills redeem every code of a coupon not dismissed, a scan every 2 ms without waiting for
                // answers; the server dies once a few have been answered, with others in flight.
                using var till = host.CreateClient(EngineHost.AdminKey);
                var scans = new List<Task>();
                foreach (var i in Redeemable())
                {
                    var index = i;
                    scans.Add(Task.Run(async () =>
                    {
                        try
                        {
                            using var response = await till.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code = coupons[index].Code });
                            answered[index] = response.StatusCode;
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                        {
                            // No answer: the till scans again once the server is back.
                        }
                    }));
                    await Task.Delay(2);
                    if (answered.Count >= Shoppers / 4)
                    {
                        break;
                    }
                }

                process.Kill();
                await Task.WhenAll(scans);
            }
            finally
            {
                process.Dispose();
            }

            using var restarted = await ServerProcess.StartAsync(data);
            var second = EngineHost.Attach(restarted.BaseAddress, data);
            using var again = store.MovedTo(second);
            store.Dispose();

            // Every till that got no 200 scans again: the code's own record decides (200 now, or 409 if the
            // first scan was stored before the kill).
            using (var till = second.CreateClient(EngineHost.AdminKey))
            {
                foreach (var i in Redeemable())
                {
                    if (answered.GetValueOrDefault(i) != HttpStatusCode.OK)
                    {
                        using var response = await till.PostAsJsonAsync($"/api/v1/stores/{again.StoreId}/redemptions", new { code = coupons[i].Code });
                        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"code {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }

            // Every code is redeemed once (or its coupon dismissed), so no wallet holds a coupon any more.
            foreach (var (shopper, _, _) in coupons)
            {
                Assert.Empty(await WalletAsync(second, shopper));
            }

            // And the counts are exact: every redemption once, acknowledgements and dismissals once each (a
            // dismissal also proves delivery), however often the outboxes left by the kill are sent again.
            var brandKey = again.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!;
            var stats = await Eventually.WaitAsync(() => BudgetAndRedemptionTests.StatsAsync(second, brandKey, offerId),
                s => s.Redeemed == Redeemable().Count(), TimeSpan.FromSeconds(20), "every redemption counted");
            await Task.Delay(TimeSpan.FromSeconds(1));
            stats = await BudgetAndRedemptionTests.StatsAsync(second, brandKey, offerId);
            Assert.Equal(((long)Shoppers, (long)Redeemable().Count(), (long)(acked.Count + dismissed.Count), (long)dismissed.Count),
                (stats.Issued, stats.Redeemed, stats.Delivered, stats.Dismissed));
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    // The coupons not dismissed: those of the first half with i % 3 == 2 are.
    private static IEnumerable<int> Redeemable() => Enumerable.Range(0, Shoppers).Where(i => i >= Shoppers / 2 || i % 3 != 2);

    private static async Task<List<(string CouponId, string Code)>> WalletAsync(EngineHost host, EnrolledShopper shopper)
    {
        using var me = host.CreateClient(shopper.Token);
        var coupons = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
        return [.. coupons.Select(c => (c!["couponId"]!.GetValue<string>(), c["code"]!.GetValue<string>()))];
    }
}
