using BeaconEngine.Contracts.Cluster;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Cluster;

/// <summary>This node's end of <see cref="INodeListener"/>: what the other nodes send it.</summary>
internal sealed class NodeListener(IHubContext<ShopperHub> hub, StoreDirectory stores, ClusterNodes nodes) : INodeListener
{
    public Task DeliverCoupon(string shopperId, Coupon coupon)
    {
        hub.SendWithoutWaiting(shopperId, coupon);
        return Task.CompletedTask;
    }

    public Task StoreChanged(string storeId, long version)
    {
        stores.Invalidate(storeId, version);
        return Task.CompletedTask;
    }

    public Task NodesChanged(ServerNode[] list)
    {
        nodes.Merge(list);
        return Task.CompletedTask;
    }
}
