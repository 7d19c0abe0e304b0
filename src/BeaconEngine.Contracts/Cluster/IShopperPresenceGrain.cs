using BeaconEngine.Contracts.Coupons;
using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Cluster;

/// <summary>
/// Which nodes hold a shopper's live connections, in memory. It is placed on the node that first asks for it,
/// which is the node the phone connected to, so a coupon sent here costs one message to the phone's node and
/// none beyond it. When the phone is offline it is placed on the issuing node, finds no one and sends nothing:
/// the coupon waits in the wallet. Key: the shopper id.
/// </summary>
[Alias("BeaconEngine.IShopperPresenceGrain")]
public interface IShopperPresenceGrain : IGrainWithStringKey
{
    /// <summary>The node now holds a connection of this shopper.</summary>
    [Alias("Attach")]
    Task Attach(ServerNode node);

    /// <summary>The node's last connection of this shopper closed.</summary>
    [Alias("Detach")]
    Task Detach(ServerNode node);

    /// <summary>Sends the coupon to each node holding a connection of this shopper.</summary>
    [OneWay, Alias("Deliver")]
    Task Deliver(Coupon coupon);
}
