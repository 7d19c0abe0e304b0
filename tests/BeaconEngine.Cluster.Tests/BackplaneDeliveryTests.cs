using BeaconEngine.Cluster.Tests.Infrastructure;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Cluster.Tests;

/// <summary>The other delivery choice: SignalR's Redis backplane instead of the per-node grain observer.</summary>
public sealed class BackplaneDeliveryTests
{
    [Fact]
    public async Task With_the_Redis_backplane_a_coupon_reaches_the_shoppers_connections_on_both_nodes_once_each()
    {
        await using var cluster = await Infrastructure.Cluster.StartAsync(2, "--BeaconEngine:Cluster:Delivery", "redis");
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        var store = await ClusterScenario.CreateAsync(a);
        await store.CreateOfferAsync(b, "dairy");
        var shopper = await store.EnrolAsync(b);
        var other = await store.EnrolAsync(a);

        await using var phoneOnA = await ShopperApp.ConnectAsync(a.BaseAddress, shopper.Token);
        await using var tabletOnB = await ShopperApp.ConnectAsync(b.BaseAddress, shopper.Token, HubProtocol.MessagePack);
        await using var otherOnB = await ShopperApp.ConnectAsync(b.BaseAddress, other.Token);
        await store.PostSightingsAsync(b, "gw-dairy", ClusterScenario.Approach(shopper));

        var onA = await phoneOnA.NextCouponAsync();
        var onB = await tabletOnB.NextCouponAsync();
        Assert.Equal(onA.CouponId, onB.CouponId);
        Assert.Equal("dairy", onA.ZoneId);

        // Once each, and to nobody else.
        await Task.Delay(500);
        Assert.Empty(phoneOnA.Drain());
        Assert.Empty(tabletOnB.Drain());
        Assert.Empty(otherOnB.Drain());
    }
}
