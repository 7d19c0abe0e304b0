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

    private readonly Dictionary<string, ServerNode> _nodes = new(StringComparer.Ordinal);

    public Task Attach(ServerNode node)
    {
        _nodes[node.Name] = node;
        DelayDeactivation(KeepWhileConnected);
        return Task.CompletedTask;
    }

    public Task Detach(ServerNode node)
    {
        _nodes.Remove(node.Name);
        if (_nodes.Count == 0)
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    public Task Deliver(Coupon coupon)
    {
        var self = ServerNode.NameOf(local.SiloAddress);
        route.Arrived(self);
        var snapshot = membership.CurrentSnapshot;
        foreach (var (name, node) in _nodes.ToList())
        {
            // A silo declared dead took its connections with it; the phone gets the coupon on reconnecting. A
            // front-end is not in membership: a dead one is dropped by Orleans' gateway, one message at a loss.
            if (node.Silo is { } silo && snapshot.GetSiloStatus(silo) == SiloStatus.Dead)
            {
                _nodes.Remove(name);
                continue;
            }

            CouponRoute.Stamp(self);
            node.Listener.DeliverCoupon(this.GetPrimaryKeyString(), coupon).Ignore();
        }

        if (_nodes.Count == 0)
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }
}
