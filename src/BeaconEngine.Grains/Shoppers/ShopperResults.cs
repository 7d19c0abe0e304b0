using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Rules.Learning;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>Shoppers' results through the analytics grains (one instance per node); see <see cref="IShopperResults"/>.</summary>
internal sealed partial class ShopperResults(IGrainFactory grains, RedemptionModel model, TimeProvider time, ILogger<ShopperResults> logger) : IShopperResults
{
    public void Triggered(string offerId, string zoneId) =>
        Send(offerId, new OfferEvent(OfferEventKind.Triggered, zoneId, time.GetUtcNow()));

    public void HeldOut(string shopperId, string offerId, string zoneId, DateTimeOffset at) =>
        Send(offerId, new OfferEvent(OfferEventKind.HeldOut, zoneId, at, ShopperPseudonym.Of(shopperId)));

    public void Issued(string shopperId, string storeId, Coupon coupon)
    {
        Send(coupon.OfferId, new OfferEvent(OfferEventKind.Issued, coupon.ZoneId, coupon.IssuedAt, ShopperPseudonym.Of(shopperId), coupon.CouponId, coupon.ExpiresAt));
        Fire(grains.GetGrain<IStoreActivityGrain>(storeId).CouponIssued(coupon.IssuedAt), storeId);
        CouponStageInZone(storeId, shopperId, ZoneStage.Offered, coupon);
    }

    public void Track(OfferEventKind kind, Coupon coupon) =>
        Send(coupon.OfferId, new OfferEvent(kind, coupon.ZoneId, time.GetUtcNow(), CouponId: coupon.CouponId));

    public void ZoneChanged(string storeId, string shopperId, string? zoneId) =>
        Fire(grains.GetGrain<IStoreActivityGrain>(storeId).ShopperAt(ShopperPseudonym.Of(shopperId), zoneId), storeId);

    public void ZoneStays(string storeId, string shopperId, ZoneStay[] stays)
    {
        if (stays.Length == 0)
        {
            return;
        }

        var key = ShopperPseudonym.Of(shopperId);
        foreach (var hour in stays.GroupBy(s => ZoneHourKey.HourOf(s.EnteredAt)))
        {
            Fire(grains.GetGrain<IZoneHourGrain>(ZoneHourKey.Of(storeId, hour.Key)).RecordStays(key, [.. hour]), storeId);
        }
    }

    public void CouponStageInZone(string storeId, string shopperId, ZoneStage stage, Coupon coupon) =>
        Fire(grains.GetGrain<IZoneHourGrain>(ZoneHourKey.Of(storeId, coupon.IssuedAt)).RecordStage(ShopperPseudonym.Of(shopperId), coupon.ZoneId, coupon.BrandId, stage), storeId);

    public async Task<OfferAttribution[]> CountPurchaseAsync(string shopperId, IReadOnlyList<OfferExposure> exposures, IReadOnlyDictionary<string, decimal> spendByBrand, DateTimeOffset at)
    {
        var key = ShopperPseudonym.Of(shopperId);
        var counted = new List<OfferAttribution>();
        foreach (var exposure in exposures.Where(e => e.At <= at))
        {
            if (spendByBrand.TryGetValue(exposure.BrandId, out var spend)
                && await grains.GetGrain<IOfferAnalyticsGrain>(exposure.OfferId).RecordBasket(key, at, spend))
            {
                counted.Add(new OfferAttribution(exposure.OfferId, exposure.Treated));
            }
        }

        return [.. counted];
    }

    public void Visited(string storeId, string shopperId, bool globalControl) =>
        Fire(grains.GetGrain<IProgrammeGrain>(storeId).Visited(ShopperPseudonym.Of(shopperId), globalControl), storeId);

    public Task BasketAsync(string storeId, string shopperId, bool globalControl, decimal total) =>
        grains.GetGrain<IProgrammeGrain>(storeId).Basket(ShopperPseudonym.Of(shopperId), globalControl, total);

    public async Task LearnAsync(string storeId, string? segment, Coupon coupon, bool redeemed)
    {
        model.Record(coupon.OfferId, segment, redeemed);
        await grains.GetGrain<IOfferLearningGrain>(storeId).Record(coupon.OfferId, segment, redeemed);
    }

    private void Send(string offerId, OfferEvent offerEvent) =>
        Fire(grains.GetGrain<IOfferAnalyticsGrain>(offerId).Record(offerEvent), offerId);

    /// <summary>One-way calls: results are informational and never hold up or fail a shopper's coupon.</summary>
    private void Fire(Task call, string subject)
    {
        if (!call.IsCompleted)
        {
            call.ContinueWith(t => LogResultsFailed(logger, t.Exception!, subject), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Current);
        }
        else if (call.IsFaulted)
        {
            LogResultsFailed(logger, call.Exception!, subject);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Results for {Subject} could not be recorded")]
    private static partial void LogResultsFailed(ILogger logger, Exception ex, string subject);
}
