using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// What the app and the till answer to a coupon (opened, dismissed, not relevant, redeemed): the wallet changed
/// (<see cref="ShopperWallet"/>, with the offer's feedback and the store's event in the outboxes) and stored first;
/// then the store's log is sent the event (not awaited), and the learning, the feedback's send, the offer's results
/// and the zone analytics are told. Each method changes
/// nothing when the wallet does not hold the coupon in a state the answer applies to.
/// </summary>
internal readonly struct CouponResponses(string shopperId, IShopperRows rows, ShopperPorts ports)
{
    private ShopperWallet Wallet => new(rows.Shopper);

    private DateTimeOffset Now => ports.Time.GetUtcNow();

    /// <summary>The app has the coupon; true while the wallet holds it.</summary>
    public async Task<bool> AcknowledgeAsync(string couponId)
    {
        if (Wallet.Acknowledge(couponId, Now) is { } coupon)
        {
            Record(StoreEventTypes.Delivered, coupon);
            await rows.StoreShopperAsync();
            rows.SendStoreEvents();
            await rows.FlushOutboxAsync();
            ports.Results.Track(OfferEventKind.Opened, coupon);
            TellZoneStage(ZoneStage.Opened, coupon);
        }

        return Wallet.Holds(couponId);
    }

    /// <summary>The shopper put the coupon away; true while the wallet holds it.</summary>
    public async Task<bool> DismissAsync(string couponId)
    {
        if (Wallet.Dismiss(couponId, Now) is { } coupon)
        {
            Record(StoreEventTypes.Dismissed, coupon);
            await rows.StoreShopperAsync();
            rows.SendStoreEvents();
            await LearnAsync(coupon, redeemed: false);
            await rows.FlushOutboxAsync();
            ports.Results.Track(OfferEventKind.Dismissed, coupon);
        }

        return Wallet.Holds(couponId);
    }

    /// <summary>The till redeemed the coupon at <paramref name="at"/>.</summary>
    public async Task RedeemedAsync(string couponId, DateTimeOffset at)
    {
        if (Wallet.MarkRedeemed(couponId, at) is { } coupon)
        {
            Record(StoreEventTypes.Redeemed, coupon, at);
            await rows.StoreShopperAsync();
            rows.SendStoreEvents();
            await LearnAsync(coupon, redeemed: true);
            await rows.FlushOutboxAsync();
            ports.Results.Track(OfferEventKind.Redeemed, coupon);
            TellZoneStage(ZoneStage.Redeemed, coupon);
        }
    }

    /// <summary>A dismissal that also puts the coupon's category (or brand) out of favour; false if the wallet has no such coupon.</summary>
    public async Task<bool> NotRelevantAsync(string couponId)
    {
        if (Wallet.Get(couponId) is not { } coupon || rows.Shopper.Profile is not { } profile)
        {
            return false;
        }

        await DismissAsync(couponId);
        var view = await ports.Stores.GetAsync(profile.StoreId);
        rows.Shopper.MarkNotRelevant(coupon, view?.Catalog.Policy.DismissalsToExcludeCategory ?? 2);
        Record(StoreEventTypes.NotRelevant, coupon);
        await rows.StoreShopperAsync();
        rows.SendStoreEvents();
        ports.Results.Track(OfferEventKind.NotRelevant, coupon);
        return true;
    }

    private Task LearnAsync(Coupon coupon, bool redeemed) => rows.Shopper.Profile is { } profile
        ? ports.Results.LearnAsync(profile.StoreId, rows.Shopper.PrimarySegment, coupon, redeemed)
        : Task.CompletedTask;

    /// <summary>Puts what became of a coupon in the store events' outbox, to be stored with the wallet's change.</summary>
    private void Record(string type, Coupon coupon, DateTimeOffset? at = null) =>
        rows.Shopper.RecordEvent(Events.StoreEventFeed.Coupon(type, coupon, at ?? Now));

    /// <summary>Tells the zone analytics that a coupon from a zone was opened or redeemed.</summary>
    private void TellZoneStage(ZoneStage stage, Coupon coupon)
    {
        if (rows.Shopper.Profile is { } profile)
        {
            ports.Results.CouponStageInZone(profile.StoreId, shopperId, stage, coupon);
        }
    }
}
