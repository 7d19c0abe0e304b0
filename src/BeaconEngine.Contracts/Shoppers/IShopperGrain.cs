using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Shoppers;

/// <summary>One shopper's live state: where they are, their wallet, their consent. Key: shopper id.</summary>
[Alias("BeaconEngine.IShopperGrain")]
public interface IShopperGrain : IGrainWithStringKey
{
    /// <summary>
    /// Enrols the shopper in one call: stores the profile and the hex SHA-256 of their token (so erasure can
    /// revoke it), then gives them their beacon identity and issues their token.
    /// </summary>
    [Alias("Enrol")]
    Task Enrol(ShopperProfile profile, string tokenHash);

    /// <summary>Null if there is no such shopper (never enrolled, or erased).</summary>
    [ReadOnly, Alias("GetProfile")]
    Task<ShopperProfile?> GetProfile();

    /// <summary>Feeds sightings in event-time order through the zone resolver and the rules. Returns how many were used.</summary>
    [Alias("RecordSightings")]
    ValueTask<int> RecordSightings(Sighting[] sightings);

    /// <summary>The shopper's phone left the store's beacon region at <paramref name="at"/>: out of every zone at once.</summary>
    [Alias("LeaveStore")]
    Task LeaveStore(DateTimeOffset at);

    /// <summary>
    /// Asked by the node's silence watch when no batch has come for a while: the shopper's event time
    /// moves on with the wall clock, so one who left the store is taken out of their zone.
    /// </summary>
    [OneWay, Alias("CheckSilence")]
    Task CheckSilence();

    /// <summary>Coupons the shopper can still use, newest first.</summary>
    [ReadOnly, Alias("GetWallet")]
    Task<Coupon[]> GetWallet();

    /// <summary>Coupons issued but not yet acknowledged by the app, oldest first.</summary>
    [ReadOnly, Alias("GetUnacknowledged")]
    Task<Coupon[]> GetUnacknowledged();

    /// <summary>False if the shopper holds no such coupon.</summary>
    [Alias("Acknowledge")]
    Task<bool> Acknowledge(string couponId);

    [Alias("Dismiss")]
    Task<bool> Dismiss(string couponId);

    /// <summary>
    /// Whether the wallet holds a coupon, for an offer settling a reservation left open. Interleaves: the
    /// shopper may be waiting on that offer at this very moment.
    /// </summary>
    [AlwaysInterleave, Alias("Holds")]
    Task<CouponHolding> Holds(string couponId);

    /// <summary>Marks a coupon redeemed whose filed code (a row of its own, see <see cref="ICouponCodeGrain"/>) a till redeemed.</summary>
    [Alias("MarkRedeemed")]
    Task MarkRedeemed(string couponId, DateTimeOffset at);

    /// <summary>
    /// A till's scan of a sealed code of this shopper's in store <paramref name="storeId"/>: the wallet holds the
    /// code's one record, so it is redeemed exactly once, and the till's 200 comes after the wallet is stored.
    /// </summary>
    [Alias("RedeemCode")]
    Task<RedemptionResult> RedeemCode(string storeId, string code, DateTimeOffset at);

    /// <summary>What the rules would decide for this shopper at a zone event, and why; null if there is no such shopper.</summary>
    [ReadOnly, Alias("Explain")]
    Task<DecisionExplanation?> Explain(string zoneId, string trigger, TimeSpan dwell, DateTimeOffset at);

    [ReadOnly, Alias("GetTrail")]
    Task<TrailEntry[]> GetTrail();

    /// <summary>
    /// The till reports a basket with what it holds of each brand (<paramref name="spendByBrand"/>): it counts
    /// towards the lift of every offer whose group (treated or control) the shopper joined before
    /// <paramref name="at"/>, as a buyer once per offer and as spend every time, and its <c>purchase</c> event is
    /// stored with the shopper's record (their outbox), then sent to the store's log. A <paramref name="purchaseId"/>
    /// the till gave before (within a day, the newest 50) is answered as the first time, counted once. Null if the
    /// shopper is not one of store <paramref name="storeId"/>.
    /// </summary>
    [Alias("RecordPurchase")]
    Task<RecordedPurchase?> RecordPurchase(string storeId, string? purchaseId, Dictionary<string, decimal> spendByBrand, DateTimeOffset at);

    /// <summary>Forgets the shopper: state, trail, wallet, identity and token.</summary>
    [Alias("Erase")]
    Task Erase();
}
