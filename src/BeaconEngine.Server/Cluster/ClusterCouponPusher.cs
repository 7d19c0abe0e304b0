using BeaconEngine.Contracts.Cluster;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains.Cluster;
using BeaconEngine.Grains.Coupons;

namespace BeaconEngine.Server.Cluster;

/// <summary>
/// Sends a coupon to the shopper's presence, which lives on the node holding the phone's connection and pushes
/// it there: one message per coupon whatever the number of nodes, and none to a node without the phone. The send
/// is one-way: the shopper's grain does not wait, and a node that has just died costs nothing (the app gets the
/// coupon on reconnecting, from the wallet).
/// </summary>
public sealed class ClusterCouponPusher(IGrainFactory grains, ILocalSiloDetails local) : ICouponPusher
{
    public ValueTask PushAsync(string shopperId, Coupon coupon)
    {
        // One message, to the node holding the shopper's connection (none when the phone is offline: the
        // coupon waits in the wallet). Not awaited: a slow node or phone never holds the batch's answer.
        CouponRoute.Stamp(ServerNode.NameOf(local.SiloAddress));
        grains.GetGrain<IShopperPresenceGrain>(shopperId).Deliver(coupon).Ignore();
        return ValueTask.CompletedTask;
    }
}
