namespace BeaconEngine.Grains.Cluster;

/// <summary>
/// Counts the coupon messages this node received from another node, so the cost of delivery can be measured
/// (<c>GET /api/v1/cluster</c>). The sender names its node in the request context; a message from this node
/// itself is not counted, as it never left the process.
/// </summary>
public sealed class CouponRoute
{
    /// <summary>Request context key: the node (<see cref="Contracts.Cluster.ServerNode.Name"/>) that sent the coupon message.</summary>
    public const string FromKey = "beacon.coupon.from";

    private long _fromOtherNodes;

    /// <summary>Coupon messages that arrived from another node since start.</summary>
    public long FromOtherNodes => Interlocked.Read(ref _fromOtherNodes);

    /// <summary>Marks an outgoing coupon message as sent by the node named <paramref name="self"/>.</summary>
    public static void Stamp(string self) => RequestContext.Set(FromKey, self);

    /// <summary>Counts an incoming coupon message when it came from another node than <paramref name="self"/>.</summary>
    public void Arrived(string self)
    {
        if (RequestContext.Get(FromKey) is string from && from != self)
        {
            Interlocked.Increment(ref _fromOtherNodes);
        }
    }
}
