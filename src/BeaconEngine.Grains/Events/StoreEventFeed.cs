using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Analytics;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Events;

/// <summary>
/// Tells a store's log what happened, one-way, from where it happened (one instance per node): a decision,
/// coupon or purchase never waits for the log. Each event is sent after the fact it describes was stored.
/// </summary>
public sealed partial class StoreEventFeed(IGrainFactory grains, ILogger<StoreEventFeed> logger)
{
    /// <summary>A coupon was stored in the wallet: the decision that issued it.</summary>
    public void Issued(string storeId, string shopperId, Coupon coupon) => Emit(storeId, new StoreEvent
    {
        Type = StoreEventTypes.Issued,
        At = coupon.IssuedAt,
        Shopper = ShopperPseudonym.Of(shopperId),
        OfferId = coupon.OfferId,
        BrandId = coupon.BrandId,
        ZoneId = coupon.ZoneId,
        CouponId = coupon.CouponId,
        ExpiresAt = coupon.ExpiresAt,
    });

    /// <summary>The offer counted the shopper in its control group: the decision that sent nothing.</summary>
    public static StoreEvent HeldOut(string shopperId, OfferDefinition offer, string zoneId, DateTimeOffset at) => new()
    {
        Type = StoreEventTypes.HeldOut,
        At = at,
        Shopper = ShopperPseudonym.Of(shopperId),
        OfferId = offer.OfferId,
        BrandId = offer.BrandId,
        ZoneId = zoneId,
    };

    /// <summary>Delivered, dismissed, not relevant or redeemed (<see cref="StoreEventTypes"/>).</summary>
    public void Coupon(string type, string storeId, string shopperId, Coupon coupon, DateTimeOffset at) => Emit(storeId, new StoreEvent
    {
        Type = type,
        At = at,
        Shopper = ShopperPseudonym.Of(shopperId),
        OfferId = coupon.OfferId,
        BrandId = coupon.BrandId,
        ZoneId = coupon.ZoneId,
        CouponId = coupon.CouponId,
    });

    public void Emit(string storeId, StoreEvent storeEvent)
    {
        var call = grains.GetGrain<IStoreEventsGrain>(storeId).Append(storeEvent);
        if (!call.IsCompleted)
        {
            call.ContinueWith(t => LogFailed(logger, t.Exception!, storeEvent.Type, storeId), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Current);
        }
        else if (call.IsFaulted)
        {
            LogFailed(logger, call.Exception!, storeEvent.Type, storeId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Type} of store {StoreId} could not be sent to its log")]
    private static partial void LogFailed(ILogger logger, Exception ex, string type, string storeId);
}
