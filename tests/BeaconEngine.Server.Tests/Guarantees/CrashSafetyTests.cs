using System.Collections.Concurrent;
using System.Net;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// The server as a separate process, killed with SIGKILL in the middle of a stream of sightings and
/// started again on the same data folder.
/// </summary>
public sealed class CrashSafetyTests
{
    private const int Shoppers = 40;
    private static readonly string[] FastGrace = ["--BeaconEngine:Engine:ReservationGrace", "00:00:00.500"];

    [Fact]
    public async Task After_a_sigkill_mid_stream_every_coupon_a_phone_saw_is_in_a_wallet_none_is_doubled_and_unacked_ones_come_again()
    {
        var data = EngineHost.NewDataPath();
        var seen = new ConcurrentDictionary<string, WireCoupon>();
        try
        {
            Scenario store;
            string offerId;
            List<EnrolledShopper> shoppers;
            var start = DateTimeOffset.UtcNow;
            var process = await ServerProcess.StartAsync(data, FastGrace);
            try
            {
                var host = EngineHost.Attach(process.BaseAddress, data);
                store = await Scenario.CreateAsync(host);
                offerId = await store.CreateOfferAsync("dairy");
                shoppers = await BudgetAndRedemptionTests.EnrolManyAsync(store, Shoppers);
                var phones = new List<ShopperApp>();
                foreach (var s in shoppers)
                {
                    phones.Add(await ShopperApp.ConnectAsync(process.BaseAddress, s.Token));
                }

                // The gateway streams each shopper's arrival, a batch every few milliseconds; the server is
                // killed once some phones have their coupon and while batches are still on their way.
                using var streaming = new CancellationTokenSource();
                var stream = Task.Run(() => StreamAsync(store, shoppers, start, streaming.Token));
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (CollectFrom(phones, shoppers, seen) < Shoppers / 4 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5);
                }

                process.Kill();
                await streaming.CancelAsync();
                await stream;
                await Task.Delay(200);
                CollectFrom(phones, shoppers, seen);
                Assert.True(seen.Count >= Shoppers / 4, $"only {seen.Count} coupons arrived before the kill:\n{process.Output}");
                Assert.True(seen.Count < Shoppers, "every shopper had a coupon before the kill; the kill was not mid-stream");
                foreach (var phone in phones)
                {
                    await phone.DisposeAsync();
                }
            }
            finally
            {
                process.Dispose();
            }

            // The database opens cleanly after the unclean stop.
            using (var db = new SqliteConnection($"Data Source={Path.Combine(data, "beaconengine.db")};Pooling=False"))
            {
                db.Open();
                using var check = db.CreateCommand();
                check.CommandText = "PRAGMA integrity_check";
                Assert.Equal("ok", check.ExecuteScalar());
            }

            using var restarted = await ServerProcess.StartAsync(data, FastGrace);
            var second = EngineHost.Attach(restarted.BaseAddress, data);
            using var again = store.MovedTo(second);
            store.Dispose();

            // The gateway sends its whole stream again (a retry after the outage): the same triggers, once more.
            await StreamAsync(again, shoppers, start, CancellationToken.None);

            var wallets = new Dictionary<string, List<string>>();
            foreach (var s in shoppers)
            {
                using var me = second.CreateClient(s.Token);
                var coupons = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
                wallets[s.ShopperId] = [.. coupons.Select(c => c!["couponId"]!.GetValue<string>())];
            }

            // None doubled: one coupon per shopper for the one trigger (the offer's per-shopper cap is stored
            // in the same write as the wallet); every shopper got theirs in the end.
            Assert.All(wallets, w => Assert.Single(w.Value));
            foreach (var (shopperId, coupon) in seen)
            {
                Assert.Equal(coupon.CouponId, wallets[shopperId][0]);
            }

            // The offer's count matches the wallets once reservations left open by the kill are settled.
            var brandKey = again.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!;
            var until = DateTime.UtcNow.AddSeconds(20);
            BudgetAndRedemptionTests.OfferStatsDto stats;
            do
            {
                await Task.Delay(200);
                stats = await BudgetAndRedemptionTests.StatsAsync(second, brandKey, offerId);
            }
            while (stats.Issued != Shoppers && DateTime.UtcNow < until);
            Assert.Equal(Shoppers, stats.Issued);

            // Phones that saw a coupon before the kill and never acknowledged it get the same coupon again.
            foreach (var s in shoppers.Where(s => seen.ContainsKey(s.ShopperId)))
            {
                await using var phone = await ShopperApp.ConnectAsync(restarted.BaseAddress, s.Token);
                var resent = await phone.NextCouponAsync();
                Assert.Equal((seen[s.ShopperId].CouponId, seen[s.ShopperId].Code), (resent.CouponId, resent.Code));
            }
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    /// <summary>Sends each shopper's arrival in turn; with a cancellable token, a server that went away ends the stream quietly.</summary>
    private static async Task StreamAsync(Scenario store, List<EnrolledShopper> shoppers, DateTimeOffset start, CancellationToken cancellation)
    {
        for (var i = 0; i < shoppers.Count && !cancellation.IsCancellationRequested; i++)
        {
            try
            {
                await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shoppers[i], start.AddMilliseconds(100 * i)));
                await Task.Delay(15, CancellationToken.None);
            }
            catch (Exception) when (cancellation.CanBeCanceled)
            {
                // The server is gone mid-request: the rest of the stream is lost until it is back.
                return;
            }
        }
    }

    private static int CollectFrom(List<ShopperApp> phones, List<EnrolledShopper> shoppers, ConcurrentDictionary<string, WireCoupon> seen)
    {
        for (var i = 0; i < phones.Count; i++)
        {
            foreach (var coupon in phones[i].Drain())
            {
                seen[shoppers[i].ShopperId] = coupon;
            }
        }

        return seen.Count;
    }
}
