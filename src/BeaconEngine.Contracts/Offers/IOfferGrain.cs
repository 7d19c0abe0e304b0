using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Offers;

/// <summary>One offer: its definition, its budget (single writer, so reservations are exact) and its counters. Key: offer id.</summary>
[Alias("BeaconEngine.IOfferGrain")]
public interface IOfferGrain : IGrainWithStringKey
{
    /// <summary>Stores the definition and puts it in its store's catalog; false if an offer with this id exists already.</summary>
    [Alias("Create")]
    Task<bool> Create(OfferDefinition offer);

    /// <summary>Replaces the definition of a live offer, in its store's catalog too; false if there is none.</summary>
    [Alias("Update")]
    Task<bool> Update(OfferDefinition offer);

    /// <summary>Null if the offer does not exist or was deleted.</summary>
    [ReadOnly, Alias("Get")]
    Task<OfferDefinition?> Get();

    /// <summary>Retires the offer and takes it out of its store's catalog; its coupons already issued stay valid. False if there was none.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>The counters, also of a retired offer (its issued coupons still count); null if the offer never existed.</summary>
    [ReadOnly, Alias("GetStats")]
    Task<OfferStats?> GetStats();

    /// <summary>Takes one coupon from the budget and counts it as issued; false when the budget is spent or the offer is gone.</summary>
    [Alias("TryReserve")]
    Task<bool> TryReserve();

    /// <summary>Gives back a reservation whose coupon could not be stored.</summary>
    [Alias("Release")]
    Task Release();

    [Alias("RecordFeedback")]
    Task RecordFeedback(CouponFeedback feedback);

    /// <summary>A shopper was assigned to the offer's control group: no coupon, counted for lift. False if the offer is gone.</summary>
    [Alias("RecordHoldout")]
    Task<bool> RecordHoldout();

    /// <summary>The definition, live or retired, and whether it was retired; null if the offer never existed.</summary>
    [ReadOnly, Alias("GetIncludingRetired")]
    Task<OfferRecord?> GetIncludingRetired();
}
