using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Offers;

/// <summary>One offer: its definition, its budget (single writer, so reservations are exact) and its counters. Key: offer id.</summary>
[Alias("BeaconEngine.IOfferGrain")]
public interface IOfferGrain : IGrainWithStringKey
{
    /// <summary>Stores the definition and puts it in its store's catalog; false if an offer with this id exists already.</summary>
    [Alias("Create")]
    Task<bool> Create(OfferDefinition offer);

    /// <summary>
    /// Replaces the definition of a live offer, in its store's catalog too, if its version is one of
    /// <paramref name="versions"/> (any version when null), checked and changed in one turn, so two editors
    /// cannot overwrite each other unseen.
    /// </summary>
    [Alias("UpdateIfVersion")]
    Task<OfferUpdate> UpdateIfVersion(OfferDefinition offer, long[]? versions);

    /// <summary>Null if the offer does not exist or was deleted.</summary>
    [ReadOnly, Alias("Get")]
    Task<OfferDefinition?> Get();

    /// <summary>The live definition with its version; null if the offer does not exist or was deleted.</summary>
    [ReadOnly, Alias("GetVersioned")]
    Task<VersionedOffer?> GetVersioned();

    /// <summary>Retires the offer and takes it out of its store's catalog; its coupons already issued stay valid. False if there was none.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>The counters, also of a retired offer (its issued coupons still count); null if the offer never existed.</summary>
    [ReadOnly, Alias("GetStats")]
    Task<OfferStats?> GetStats();

    /// <summary>
    /// Takes one coupon from the budget, durably, and counts it as issued: the reservation as stored, with the
    /// coupon's ordinal; null when the budget is spent or the offer is gone. The reservation stays open until <see cref="Confirm"/> or <see cref="Release"/>;
    /// one left open (the shopper's process died before its wallet write) is checked with the shopper.
    /// </summary>
    [Alias("Reserve")]
    Task<CouponReservation?> TryReserve(CouponReservation reservation);

    /// <summary>
    /// The coupon is in the shopper's wallet: the reservation is settled (in memory). One-way: the shopper does not
    /// wait for it, and one that never arrives is settled when the offer asks the wallet.
    /// </summary>
    [OneWay, Alias("Confirm")]
    Task Confirm(string couponId);

    /// <summary>
    /// The shopper holding the coupon is being erased: the reservation, which names the shopper, is settled
    /// and stored at once, so nothing of the shopper stays in the offer and the unit is not given back later.
    /// </summary>
    [Alias("SettleForErasure")]
    Task SettleForErasure(string couponId);

    /// <summary>Gives back a reservation whose coupon could not be stored; nothing if it is not open.</summary>
    [Alias("ReleaseCoupon")]
    Task Release(string couponId);

    /// <summary>
    /// A coupon was redeemed or dismissed at <paramref name="at"/>: counted, and no longer due to expire if it
    /// closed in time. Counted once per coupon (by <paramref name="ordinal"/>), however often it is sent.
    /// </summary>
    [Alias("RecordClosed")]
    Task RecordClosed(CouponFeedback feedback, DateTimeOffset expiresAt, DateTimeOffset at, long ordinal);

    /// <summary>The app acknowledged a coupon: counted once per coupon (by <paramref name="ordinal"/>).</summary>
    [Alias("RecordFeedback")]
    Task RecordFeedback(CouponFeedback feedback, long ordinal);

    /// <summary>A shopper was assigned to the offer's control group: no coupon, counted for lift. False if the offer is gone.</summary>
    [Alias("RecordHoldout")]
    Task<bool> RecordHoldout();

    /// <summary>The definition, live or retired, and whether it was retired; null if the offer never existed.</summary>
    [ReadOnly, Alias("GetIncludingRetired")]
    Task<OfferRecord?> GetIncludingRetired();
}
