using BeaconEngine.Contracts.Cluster;
using BeaconEngine.Contracts.Coupons;
using Orleans.Placement;

namespace BeaconEngine.Grains.Cluster;

/// <inheritdoc cref="IShopperPresenceGrain"/>
[PreferLocalPlacement]
internal sealed class ShopperPresenceGrain(IClusterMembershipService membership, ILocalSiloDetails local, CouponRoute route)
    : Grain, IShopperPresenceGrain
{
    // Kept while any node holds a connection: idle collection must not forget a connected phone.
    private static readonly TimeSpan KeepWhileConnected = TimeSpan.FromDays(1);

    private readonly Dictionary<SiloAddress, ServerNode> _nodes = [];

    public Task Attach(ServerNode node)
    {
        _nodes[node.Silo] = node;
        DelayDeactivation(KeepWhileConnected);
        return Task.CompletedTask;
    }

    public Task Detach(ServerNode node)
    {
        _nodes.Remove(node.Silo);
        if (_nodes.Count == 0)
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    public Task Deliver(Coupon coupon)
    {
        route.Arrived(local.SiloAddress);
        var snapshot = membership.CurrentSnapshot;
        foreach (var (silo, node) in _nodes.ToList())
        {
            // A node declared dead took its connections with it; the phone gets the coupon on reconnecting.
            if (snapshot.GetSiloStatus(silo) == SiloStatus.Dead)
            {
                _nodes.Remove(silo);
                continue;
            }

            CouponRoute.Stamp(local.SiloAddress);
            node.Listener.DeliverCoupon(this.GetPrimaryKeyString(), coupon).Ignore();
        }

        if (_nodes.Count == 0)
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }
}
