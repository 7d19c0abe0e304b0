using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>The offers' books through their grains (one instance per node).</summary>
internal sealed class GrainOfferBooks(IGrainFactory grains) : IOfferBooks
{
    public Task<CouponReservation?> TryReserveAsync(string offerId, CouponReservation reservation) => Offer(offerId).TryReserve(reservation);

    public Task<bool> RecordHoldoutAsync(string offerId) => Offer(offerId).RecordHoldout();

    public Task ConfirmAsync(string offerId, string couponId) => Offer(offerId).Confirm(couponId);

    public Task ReleaseAsync(string offerId, string couponId) => Offer(offerId).Release(couponId);

    public Task RecordFeedbackAsync(OfferFeedback feedback) => feedback.Feedback == CouponFeedback.Delivered
        ? Offer(feedback.OfferId).RecordFeedback(feedback.Feedback, feedback.Ordinal)
        : Offer(feedback.OfferId).RecordClosed(feedback.Feedback, feedback.ExpiresAt, feedback.At, feedback.Ordinal);

    public Task SettleForErasureAsync(string offerId, string couponId) => Offer(offerId).SettleForErasure(couponId);

    private IOfferGrain Offer(string offerId) => grains.GetGrain<IOfferGrain>(offerId);
}
