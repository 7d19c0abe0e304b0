using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Cluster;

/// <summary>
/// Pushes a coupon to its shopper's connections on this node, and sends it to every other node, which
/// does the same for its own connections. The sends are one-way: the shopper's grain does not wait for
/// other nodes, and a node that has just died costs nothing (the app gets the coupon on reconnecting).
/// </summary>
public sealed class ClusterCouponPusher(IHubContext<ShopperHub> hub, ClusterNodes nodes) : ICouponPusher
{
    public ValueTask PushAsync(string shopperId, Coupon coupon)
    {
        foreach (var node in nodes.Others)
        {
            node.Listener.DeliverCoupon(shopperId, coupon).Ignore();
        }

        hub.SendWithoutWaiting(shopperId, coupon);
        return ValueTask.CompletedTask;
    }
}
