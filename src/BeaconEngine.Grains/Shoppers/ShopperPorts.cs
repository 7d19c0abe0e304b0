using BeaconEngine.Grains.Stores;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// What the shopper's plain classes (<see cref="ShopperVisit"/>, <see cref="CouponResponses"/>) reach beyond the
/// shopper's rows, one instance per node: the stores' views, the zone resolvers and the issuing ports (results,
/// the clock).
/// </summary>
internal sealed record ShopperPorts(IStoreDirectory Stores, IZoneResolverFactory Resolvers, CouponIssuing Issuing)
{
    public IShopperResults Results => Issuing.Results;

    public TimeProvider Time => Issuing.Time;
}

/// <summary>
/// What the shopper's grain does for its plain classes: it holds the two rows, stores them, and sends the
/// outboxes (with their retry timer). Tests implement it with plain objects.
/// </summary>
internal interface IShopperRows
{
    /// <summary>The shopper's record with the wallet.</summary>
    ShopperState Shopper { get; }

    /// <summary>Where the shopper has been (trail, visits).</summary>
    PresenceState Presence { get; }

    Task StoreShopperAsync();

    Task StorePresenceAsync();

    /// <summary>Sends the outbox stored with the wallet; what cannot be sent now is tried again later.</summary>
    Task FlushOutboxAsync();

    /// <summary>
    /// Starts sending the store events stored with the record to the store's log, not awaited (off the caller's
    /// path); what cannot be sent now is tried again later.
    /// </summary>
    void SendStoreEvents();
}
