using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>The offers' books through their grains (one instance per node).</summary>
internal sealed class GrainOfferBooks(IGrainFactory grains) : IOfferBooks
{
    public Task<CouponReservation?> TryReserveAsync(string offerId, CouponReservation reservation) => Offer(offerId).TryReserve(reservation);

    public async Task<bool> IsLiveAsync(string offerId) => await Offer(offerId).Get() is not null;

    public Task ConfirmAsync(string offerId, string couponId) => Offer(offerId).Confirm(couponId);

    public Task ReleaseAsync(string offerId, string couponId) => Offer(offerId).Release(couponId);

    /// <summary>
    /// A redemption is the ledger's to count; acknowledgements and dismissals are the offer's results' (which also
    /// hear of a redemption, to take back the dismissal of a shopper who changed their mind). Each counts once per
    /// coupon, so a resend after either call failed counts nothing twice.
    /// </summary>
    public async Task RecordFeedbackAsync(OfferFeedback feedback)
    {
        if (feedback.Feedback == CouponFeedback.Redeemed)
        {
            await Offer(feedback.OfferId).RecordRedeemed(feedback.Ordinal);
        }

        await grains.GetGrain<IOfferAnalyticsGrain>(feedback.OfferId).RecordFeedback(feedback.Feedback, feedback.Ordinal);
    }

    public Task SettleForErasureAsync(string offerId, string couponId) => Offer(offerId).SettleForErasure(couponId);

    private IOfferGrain Offer(string offerId) => grains.GetGrain<IOfferGrain>(offerId);
}
