using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// What a shopper's moments tell others: offers' results, the store's live view and the redemption model.
/// Informational and one-way: none of it holds up or fails a coupon. (The shopper's own groups, treated or
/// control, are kept in <see cref="ShopperState"/> with the wallet.)
/// </summary>
internal interface IShopperResults
{
    /// <summary>The rules picked an offer for this shopper.</summary>
    void Triggered(string offerId, string zoneId);

    /// <summary>The shopper was placed in the offer's control group.</summary>
    void HeldOut(string shopperId, string offerId, string zoneId, DateTimeOffset at);

    /// <summary>A coupon is stored in the wallet: it counts as issued, the shopper joins the treated group, and the store sees it.</summary>
    void Issued(string shopperId, string storeId, Coupon coupon);

    /// <summary>Opened, dismissed, redeemed or "not relevant".</summary>
    void Track(OfferEventKind kind, Coupon coupon);

    /// <summary>Tells the store's live view which zone the shopper is in.</summary>
    void ZoneChanged(string storeId, string shopperId, string? zoneId);

    /// <summary>Tells the store's zone analytics of stays that began or ended (one-way, grouped by the hour each began in).</summary>
    void ZoneStays(string storeId, string shopperId, ZoneStay[] stays);

    /// <summary>Tells the store's zone analytics that a coupon from a zone was opened or redeemed (counted in the hour it was issued).</summary>
    void CouponStageInZone(string storeId, string shopperId, ZoneStage stage, Coupon coupon);

    /// <summary>Counts a basket (spend by brand) for the offers of those brands the shopper met before <paramref name="at"/>; returns those it made them a buyer of.</summary>
    Task<OfferAttribution[]> CountPurchaseAsync(string shopperId, IReadOnlyList<OfferExposure> exposures, IReadOnlyDictionary<string, decimal> spendByBrand, DateTimeOffset at);

    /// <summary>The shopper began a visit: the store's programme report counts it in their group.</summary>
    void Visited(string storeId, string shopperId, bool globalControl);

    /// <summary>The till reported a basket of the shopper: the programme report adds it to their group.</summary>
    Task BasketAsync(string storeId, string shopperId, bool globalControl, decimal total);

    /// <summary>Feeds an outcome to this node's model at once and to the store's durable counts.</summary>
    Task LearnAsync(string storeId, string? segment, Coupon coupon, bool redeemed);
}
