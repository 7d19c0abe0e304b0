using System.Diagnostics.Metrics;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Events;

/// <summary>
/// The events of a store's stream as where they happen makes them (the shopper's record keeps them in its
/// outbox, stored with the fact: <see cref="Shoppers.ShopperState.RecordEvent"/> names the shopper and gives the
/// id), and the way to a store's log (one instance per node): <see cref="StoreAsync"/> returns once it stored them.
/// </summary>
public sealed class StoreEventFeed(IGrainFactory grains, IMeterFactory meters) : IStoreEventLogs
{
    private readonly Counter<long> _dropped = meters.Create(EngineTelemetry.EngineMeterName)
        .CreateCounter<long>("beaconengine.events.outbox_dropped", description: "Store events a shopper's outbox dropped because it was full (the store's log unreachable for long)");

    /// <summary>A coupon was stored in the wallet: the decision that issued it.</summary>
    public static StoreEvent Issued(Coupon coupon) => new()
    {
        Type = StoreEventTypes.Issued,
        At = coupon.IssuedAt,
        OfferId = coupon.OfferId,
        BrandId = coupon.BrandId,
        ZoneId = coupon.ZoneId,
        CouponId = coupon.CouponId,
        ExpiresAt = coupon.ExpiresAt,
    };

    /// <summary>The offer counted the shopper in its control group: the decision that sent nothing.</summary>
    public static StoreEvent HeldOut(OfferDefinition offer, string zoneId, DateTimeOffset at) => new()
    {
        Type = StoreEventTypes.HeldOut,
        At = at,
        OfferId = offer.OfferId,
        BrandId = offer.BrandId,
        ZoneId = zoneId,
    };

    /// <summary>Delivered, dismissed, not relevant or redeemed (<see cref="StoreEventTypes"/>).</summary>
    public static StoreEvent Coupon(string type, Coupon coupon, DateTimeOffset at) => new()
    {
        Type = type,
        At = at,
        OfferId = coupon.OfferId,
        BrandId = coupon.BrandId,
        ZoneId = coupon.ZoneId,
        CouponId = coupon.CouponId,
    };

    /// <summary>A basket the till reported, and the offers it counted for with the shopper's group.</summary>
    public static StoreEvent Purchase(string purchaseId, DateTimeOffset at, decimal total, Dictionary<string, decimal> spendByBrand, IEnumerable<OfferAttribution> counted) => new()
    {
        Type = StoreEventTypes.Purchase,
        At = at,
        PurchaseId = purchaseId,
        Total = total,
        SpendByBrand = spendByBrand,
        CountedFor = counted.ToDictionary(c => c.OfferId, c => c.Treated ? "treated" : "control", StringComparer.Ordinal),
    };

    public Task StoreAsync(string storeId, StoreEvent[] events) => grains.GetGrain<IStoreEventsGrain>(storeId).Store(events);

    public void Dropped(int count)
    {
        if (count > 0)
        {
            _dropped.Add(count);
        }
    }
}
