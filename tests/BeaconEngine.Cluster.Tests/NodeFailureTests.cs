using System.Diagnostics;
using BeaconEngine.Cluster.Tests.Infrastructure;
using BeaconEngine.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BeaconEngine.Cluster.Tests;

/// <summary>A node dies without warning (SIGKILL); its shoppers carry on on the node that is left.</summary>
public sealed class NodeFailureTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("redis")]
    public async Task After_node_A_is_killed_the_shopper_reconnects_to_node_B_with_state_intact_and_unacked_coupons_pushed_again(string clusterStore)
    {
        // A alone first, so every grain of this shopper lives on A: B can only have them from the store.
        await using var cluster = clusterStore == "postgres" ? await Infrastructure.Cluster.StartOnPostgresAsync(1) : await Infrastructure.Cluster.StartAsync(1);
        var a = cluster.Nodes[0];
        var store = await ClusterScenario.CreateAsync(a);
        var offerId = await store.CreateOfferAsync(a, "dairy");
        var shopper = await store.EnrolAsync(a);
        var t0 = DateTimeOffset.UtcNow;
        WireCoupon issued;
        await using (var phone = await ShopperApp.ConnectAsync(a.BaseAddress, shopper.Token))
        {
            await store.PostSightingsAsync(a, "gw-dairy", ClusterScenario.Approach(shopper, t0));
            issued = await phone.NextCouponAsync();
        }

        var trail = await store.TrailAsync(a, shopper);
        Assert.Equal("dairy", trail.Single()!["zoneId"]!.GetValue<string>());
        var b = await cluster.AddNodeAsync();

        var killed = Stopwatch.StartNew();
        a.Kill();

        // The app reconnects to B as the official clients do: try, and try again a little later.
        WireCoupon? again = null;
        ShopperApp? reconnected = null;
        while (again is null)
        {
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(60), "The shopper's un-acked coupon did not reach B within 60 s of A's death.");
            try
            {
                reconnected = await ShopperApp.ConnectAsync(b.BaseAddress, shopper.Token);
                again = await reconnected.NextCouponAsync(TimeSpan.FromSeconds(3));
            }
            catch (Exception ex) when (ex is TimeoutException or HttpRequestException or InvalidOperationException or IOException)
            {
                if (reconnected is not null)
                {
                    await reconnected.DisposeAsync();
                    reconnected = null;
                }

                await Task.Delay(250);
            }
        }

        await using var phoneOnB = reconnected!;
        output.WriteLine($"Un-acked coupon pushed again by node B {killed.Elapsed.TotalSeconds:0.0} s after node A was killed.");
        Assert.Equal(issued.CouponId, again.CouponId);
        Assert.Equal(issued.Code, again.Code);

        // State intact: wallet, trail and the offer's counts, all read through B.
        var wallet = await ClusterScenario.WalletAsync(b, shopper);
        Assert.Equal("issued", wallet.Single()!["status"]!.GetValue<string>());

        // The stay is intact; left open by the node's death, it ended when the shopper was last seen.
        var trailOnB = await store.TrailAsync(b, shopper);
        Assert.True(trailOnB.Count > 0, $"The trail read on A was {trail.ToJsonString()}; on B it is empty. Node B said:\n{b.Output()}");
        Assert.Equal(trail[0]!["enteredAt"]!.GetValue<string>(), trailOnB[0]!["enteredAt"]!.GetValue<string>());
        Assert.Equal("dairy", trailOnB[0]!["zoneId"]!.GetValue<string>());
        Assert.Equal(
            t0.AddSeconds(1).ToUnixTimeMilliseconds(),
            DateTimeOffset.Parse(trailOnB[0]!["exitedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Equal(1, (await store.OfferStatsAsync(b, offerId))["issued"]!.GetValue<int>());

        // And the engine carries on: the ack is stored, a new stay is placed.
        await phoneOnB.AckAsync(issued.CouponId!);
        Assert.Equal("delivered", (await ClusterScenario.WalletAsync(b, shopper)).Single()!["status"]!.GetValue<string>());
        Assert.Equal(1, (await store.OfferStatsAsync(b, offerId))["delivered"]!.GetValue<int>());
        await store.PostSightingsAsync(b, "gw-snacks", ClusterScenario.Approach(shopper, DateTimeOffset.UtcNow));
        var after = await store.TrailAsync(b, shopper);
        Assert.Equal("snacks", after[^1]!["zoneId"]?.GetValue<string>());
        Assert.True(after.Count > trailOnB.Count, $"The trail did not grow on B: {after.ToJsonString()}");
    }
}
