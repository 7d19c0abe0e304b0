using BeaconEngine.Contracts.Coupons;
using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Cluster;

/// <summary>
/// One server node as the other nodes of a cluster reach it: a grain observer that each node registers
/// with <see cref="INodeRegistryGrain"/>. Deliveries are one-way, so a node that has died never holds up
/// the grain that sends to it.
/// </summary>
[Alias("BeaconEngine.INodeListener")]
public interface INodeListener : IGrainObserver
{
    /// <summary>Send the coupon to the shopper's connections on this node, if it has any.</summary>
    [OneWay, Alias("DeliverCoupon")]
    Task DeliverCoupon(string shopperId, Coupon coupon);

    /// <summary>The store reached <paramref name="version"/>: this node's view of it is stale.</summary>
    [OneWay, Alias("StoreChanged")]
    Task StoreChanged(string storeId, long version);

    /// <summary>The registry's current list of nodes.</summary>
    [Alias("NodesChanged")]
    Task NodesChanged(ServerNode[] nodes);
}
