using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// What a shopper's moments tell others: offers' results, the shopper's exposures (control group or
/// treated), the store's live view and the redemption model. Informational: none of it holds up or
/// fails a coupon.
/// </summary>
internal interface IShopperResults
{
    /// <summary>The rules picked an offer for this shopper.</summary>
    void Triggered(string offerId, string zoneId);

    /// <summary>The shopper was placed in the offer's control group.</summary>
    Task HeldOutAsync(string shopperId, OfferDefinition offer, string zoneId);

    /// <summary>A coupon is stored in the wallet: it counts as issued, the shopper is treated, and the store sees it.</summary>
    Task IssuedAsync(string shopperId, string storeId, Coupon coupon);

    /// <summary>Opened, dismissed, redeemed or "not relevant".</summary>
    void Track(OfferEventKind kind, Coupon coupon);

    /// <summary>Tells the store's live view which zone the shopper is in.</summary>
    void ZoneChanged(string storeId, string shopperId, string? zoneId);

    /// <summary>Feeds an outcome to this node's model at once and to the store's durable counts.</summary>
    Task LearnAsync(string storeId, string? segment, Coupon coupon, bool redeemed);
}
