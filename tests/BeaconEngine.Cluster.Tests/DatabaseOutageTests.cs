using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Cluster.Tests.Infrastructure;
using BeaconEngine.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BeaconEngine.Cluster.Tests;

/// <summary>
/// PostgreSQL is SIGKILLed while two nodes take a stream of gateway batches, and started again. The nodes are
/// not restarted: during the outage they answer 503 with Retry-After, and afterwards every coupon a phone got is
/// in a wallet, the budget holds, and nothing was issued twice.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const int Budget = 25;
    private const int Shoppers = 36;

    [Fact]
    public async Task The_database_killed_mid_stream_and_restarted_loses_nothing_and_issues_nothing_twice()
    {
        await using var cluster = await Infrastructure.Cluster.StartOnPostgresAsync(2);
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        var nodes = new[] { a, b };
        var store = await ClusterScenario.CreateAsync(a);
        var offerId = await store.CreateOfferAsync(b, "dairy", budget: Budget);
        var shoppers = new List<EnrolledShopper>();
        for (var i = 0; i < Shoppers; i++)
        {
            shoppers.Add(await store.EnrolAsync(nodes[i % 2]));
        }

        // Every phone stays connected throughout, half of them to each node.
        var phones = new List<ShopperApp>();
        foreach (var (shopper, i) in shoppers.Select((s, i) => (s, i)))
        {
            phones.Add(await ShopperApp.ConnectAsync(nodes[(i + 1) % 2].BaseAddress, shopper.Token));
        }

        try
        {
            // The stream: one batch of two shoppers' approach at a time, alternating nodes, each batch sent again
            // with the same batchId until it is accepted, as the gateway agent does.
            var statuses = new ConcurrentBag<HttpStatusCode>();
            var retryAfterSeen = false;
            var accepted = 0;
            var killed = new TaskCompletionSource();
            var stream = Task.Run(async () =>
            {
                foreach (var (pair, i) in shoppers.Chunk(2).Select((p, i) => (p, i)))
                {
                    var at = DateTimeOffset.UtcNow;
                    var body = new { gatewayId = "gw-dairy", batchId = $"batch-{i}", sightings = pair.SelectMany(s => ClusterScenario.Approach(s, at)).ToArray() };
                    var node = nodes[i % 2];
                    while (true)
                    {
                        using var gateway = node.CreateClient(store.GatewayKeys["gw-dairy"]);
                        using var response = await gateway.PostAsJsonAsync("/api/v1/sightings", body);
                        statuses.Add(response.StatusCode);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            break;
                        }

                        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Batch {i} on node {node.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Tail(node.Output())}");
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                        var wait = response.Headers.RetryAfter?.Delta;
                        Assert.NotNull(wait);
                        retryAfterSeen = true;
                        await Task.Delay(TimeSpan.FromMilliseconds(250));
                    }

                    if (Interlocked.Increment(ref accepted) == 6)
                    {
                        await killed.Task;
                    }
                }
            });

            // Mid-stream: six batches in, the database dies, and the stream goes on against it for a while.
            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(60)), WaitForAsync(() => Volatile.Read(ref accepted) >= 6));
            cluster.Postgres!.Kill();
            killed.SetResult();
            await WaitForAsync(() => retryAfterSeen || stream.IsCompleted, TimeSpan.FromSeconds(30),
                () => $"Answers so far: {string.Join(", ", statuses)}\nNode A said:\n{a.Output()}\nNode B said:\n{b.Output()}");
            Assert.True(retryAfterSeen, $"No 503 while the database was down; answers: {string.Join(", ", statuses)}; stream: {stream.Status} {stream.Exception}");
            await Task.Delay(TimeSpan.FromSeconds(2));
            await cluster.Postgres.RestartAsync();
            output.WriteLine("PostgreSQL restarted.");
            await stream.WaitAsync(TimeSpan.FromSeconds(120));
            output.WriteLine($"Answers: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key}x{g.Count()}"))}");
            Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
            Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);

            // Give the pushes of the last batches a moment, then compare what phones got with what wallets hold.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var received = phones.Select(p => p.Drain()).ToList();
            var held = new List<(EnrolledShopper Shopper, string CouponId, string Code, string OfferId)>();
            foreach (var (shopper, i) in shoppers.Select((s, i) => (s, i)))
            {
                var wallet = await ClusterScenario.WalletAsync(nodes[i % 2], shopper);
                held.AddRange(wallet.Select(c => (shopper, c!["couponId"]!.GetValue<string>(), c["code"]!.GetValue<string>(), c["offerId"]!.GetValue<string>())));
                foreach (var coupon in received[i])
                {
                    Assert.Contains(coupon.CouponId, wallet.Select(c => c!["couponId"]!.GetValue<string>()));
                }
            }

            output.WriteLine($"Coupons held: {held.Count}; received live: {received.Sum(r => r.DistinctBy(c => c.CouponId).Count())}.");
            Assert.True(held.Count <= Budget, $"{held.Count} coupons held for a budget of {Budget}.");
            Assert.Equal(held.Count, held.Select(h => h.CouponId).Distinct().Count());
            Assert.Equal(held.Count, held.Select(h => h.Code).Distinct().Count());
            Assert.All(held.GroupBy(h => h.Shopper.ShopperId), g => Assert.Single(g));
            var stats = await store.OfferStatsAsync(a, offerId);
            Assert.True(stats["issued"]!.GetValue<int>() <= Budget, stats.ToJsonString());

            // And the nodes carry on, as they were: a new offer reaches a new shopper's phone through either node.
            await store.CreateOfferAsync(a, "snacks");
            var late = await store.EnrolAsync(b);
            await using var latePhone = await ShopperApp.ConnectAsync(a.BaseAddress, late.Token);
            await store.PostSightingsAsync(b, "gw-snacks", ClusterScenario.Approach(late));
            Assert.Equal("snacks", (await latePhone.NextCouponAsync()).ZoneId);
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }
    }

    // The node's last warnings and errors, the start of each (the stack traces are long).
    private static string Tail(string text)
    {
        var blocks = System.Text.RegularExpressions.Regex.Split(text, @"(?m)^(?=(?:fail|warn|crit): )")
            .Where(b => b.StartsWith("fail:", StringComparison.Ordinal) || b.StartsWith("warn:", StringComparison.Ordinal) || b.StartsWith("crit:", StringComparison.Ordinal))
            .TakeLast(8)
            .Select(b => b.Length > 1200 ? b[..1200] + " ..." : b);
        return string.Join("\n", blocks);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan? timeout = null, Func<string>? explain = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting. {explain?.Invoke()}");
            await Task.Delay(50);
        }
    }
}
