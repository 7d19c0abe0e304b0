using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Shoppers;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// The shopper's ports as plain recorders, for <see cref="CouponIssuer"/> and <see cref="FeedbackOutbox"/> without
/// a host: every call goes into one ordered log, so a test can read the protocol's order.
/// </summary>
internal sealed class ShopperPortFakes : IOfferBooks, ICouponCodes, IShopperResults, ICouponDelivery
{
    public List<string> Log { get; } = [];

    /// <summary>Budget units left (reservations beyond this fail).</summary>
    public int Budget { get; set; } = 10;

    /// <summary>How many of the next code filings find the code taken.</summary>
    public int CodesTaken { get; set; }

    /// <summary>How many of the next feedback sends fail.</summary>
    public int FeedbackFailures { get; set; }

    private long _ordinal;

    public Task<CouponReservation?> TryReserveAsync(string offerId, CouponReservation reservation) =>
        Done($"reserve {offerId}", Budget-- > 0 ? reservation with { Ordinal = ++_ordinal } : null);

    public Task<bool> IsLiveAsync(string offerId) => Done($"holdout {offerId}", true);

    public Task ConfirmAsync(string offerId, string couponId) => Done($"confirm {offerId}");

    public Task ReleaseAsync(string offerId, string couponId) => Done($"release {offerId}");

    public Task RecordFeedbackAsync(OfferFeedback feedback)
    {
        if (FeedbackFailures-- > 0)
        {
            Log.Add($"feedback {feedback.Feedback} failed");
            throw new InvalidOperationException("disk full");
        }

        return Done($"feedback {feedback.Feedback}");
    }

    public Task SettleForErasureAsync(string offerId, string couponId) => Done($"settle {offerId}");

    public Task<string?> TryIssueAsync(CouponTicket ticket) => Done("file code", CodesTaken-- <= 0 ? Ids.Random(10) : null);

    public Task RemoveAsync(string code) => Done("remove code");

    public void Triggered(string offerId, string zoneId) => Log.Add($"triggered {offerId}");

    public void HeldOut(string shopperId, string offerId, string zoneId, DateTimeOffset at) => Log.Add($"held out {offerId}");

    public void Issued(string shopperId, string storeId, Coupon coupon) => Log.Add($"issued {coupon.OfferId}");

    public void Track(OfferEventKind kind, Coupon coupon) => Log.Add($"{kind} {coupon.OfferId}");

    public void ZoneChanged(string storeId, string shopperId, string? zoneId) => Log.Add($"zone {zoneId}");

    public Task<OfferAttribution[]> CountPurchaseAsync(string shopperId, IReadOnlyList<OfferExposure> exposures, IReadOnlyDictionary<string, decimal> spendByBrand, DateTimeOffset at) =>
        Task.FromResult<OfferAttribution[]>([]);

    public void Visited(string storeId, string shopperId, bool globalControl) => Log.Add($"visit {globalControl}");

    public void ZoneStays(string storeId, string shopperId, ZoneStay[] stays) => Log.Add($"stays {stays.Length}");

    public void CouponStageInZone(string storeId, string shopperId, ZoneStage stage, Coupon coupon) => Log.Add($"{stage} in {coupon.ZoneId}");

    public Task BasketAsync(string storeId, string shopperId, bool globalControl, decimal total) => Done($"basket {total}");

    public Task LearnAsync(string storeId, string? segment, Coupon coupon, bool redeemed) => Done($"learn {redeemed}");

    public Task DeliverAsync(string shopperId, Coupon coupon, long? batchReceived) => Done($"push {coupon.CouponId}");

    private Task Done(string step)
    {
        Log.Add(step);
        return Task.CompletedTask;
    }

    private Task<T> Done<T>(string step, T result)
    {
        Log.Add(step);
        return Task.FromResult(result);
    }
}
