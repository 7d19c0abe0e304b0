using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>The offers' books as a shopper uses them: budget reservations and feedback counts.</summary>
internal interface IOfferBooks
{
    /// <summary>Takes one unit of the offer's budget for a coupon (stored before it answers), with the coupon's ordinal; null if none is left.</summary>
    Task<CouponReservation?> TryReserveAsync(string offerId, CouponReservation reservation);

    /// <summary>Whether the offer is still live (a shopper is held out of a live offer only).</summary>
    Task<bool> IsLiveAsync(string offerId);

    /// <summary>The wallet holds the coupon: its reservation is settled.</summary>
    Task ConfirmAsync(string offerId, string couponId);

    /// <summary>The coupon never reached the wallet: its unit goes back.</summary>
    Task ReleaseAsync(string offerId, string couponId);

    /// <summary>Counts an acknowledgement, dismissal or redemption where its owner keeps it (the outbox sends each until it is stored).</summary>
    Task RecordFeedbackAsync(OfferFeedback feedback);

    /// <summary>Erasure: the offer's ledger lets go of the coupon's reservation, in memory and in storage.</summary>
    Task SettleForErasureAsync(string offerId, string couponId);
}
