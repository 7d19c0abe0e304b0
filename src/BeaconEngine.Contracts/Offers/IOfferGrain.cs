using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Offers;

/// <summary>One offer: its definition and its budget's ledger (single writer, so reservations are exact). Key: offer id.</summary>
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

    /// <summary>The ledger's counts, also of a retired offer (its issued coupons still count); null if the offer never existed.</summary>
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

    /// <summary>A coupon was redeemed: counted once per coupon (by <paramref name="ordinal"/>), however often it is sent, and stored before it answers.</summary>
    [Alias("RecordRedeemed")]
    Task RecordRedeemed(long ordinal);

    /// <summary>
    /// The acknowledgements and dismissals this offer counted before its results took them over (stored by an
    /// older version); null when there are none.
    /// </summary>
    [ReadOnly, Alias("GetLedgerFeedback")]
    Task<LedgerFeedback?> GetLedgerFeedback();

    /// <summary>The offer's results have stored what <see cref="GetLedgerFeedback"/> gave them: the ledger lets it go.</summary>
    [Alias("ForgetLedgerFeedback")]
    Task ForgetLedgerFeedback();

    /// <summary>The definition, live or retired, and whether it was retired; null if the offer never existed.</summary>
    [ReadOnly, Alias("GetIncludingRetired")]
    Task<OfferRecord?> GetIncludingRetired();
}
