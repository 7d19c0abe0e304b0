using System.Globalization;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Grains.Stores;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// What the shopper changes about themselves (preferences, consent, "not relevant"), quiet hours, and
/// what the shopper's moments tell offers' results and the store's live view.
/// </summary>
internal sealed partial class ShopperGrain : IShopperSelfServiceGrain
{
    private string? _reportedZone;

    // Not kept: an idle activation would hold it for nothing, and it is a hash away.
    private string Pseudonym => ShopperPseudonym.Of(ShopperId);

    public async Task<ShopperProfile?> SetPreferences(ShopperPreferences preferences, string preferencesJson)
    {
        if (state.State.Profile is not { } profile)
        {
            return null;
        }

        state.State.Profile = profile with { Preferences = preferences, PreferencesJson = preferencesJson };
        await state.WriteStateAsync();
        return state.State.Profile;
    }

    public async Task<ShopperProfile?> SetConsent(Consent consent)
    {
        if (state.State.Profile is not { } profile)
        {
            return null;
        }

        state.State.Profile = profile with { Consent = consent };
        if (!consent.Proximity)
        {
            // No longer located: where the shopper has been is forgotten, and they are in no zone.
            state.State.Trail.Clear();
            _resolver = null;
            silence.Forget(ShopperId);
            ReportZone(profile.StoreId, null);
        }

        await state.WriteStateAsync();
        return state.State.Profile;
    }

    public async Task<bool> MarkNotRelevant(string couponId)
    {
        var index = FindCoupon(couponId);
        if (index < 0 || state.State.Profile is not { } profile)
        {
            return false;
        }

        var coupon = state.State.Wallet[index];
        if (coupon.Status is CouponStatus.Issued or CouponStatus.Delivered)
        {
            await Dismiss(couponId);
        }

        // Stronger than a dismissal: the category is out at once (the rules exclude a category liked this little).
        var threshold = await stores.GetAsync(profile.StoreId) is { } view ? view.Catalog.Policy.DismissalsToExcludeCategory : 2;
        if (coupon.Category is { } category)
        {
            state.State.CategoryLiking[category] = Math.Min(state.State.CategoryAffinity(category), -threshold);
        }
        else
        {
            state.State.BrandLiking[coupon.BrandId] = state.State.BrandAffinity(coupon.BrandId) - 1;
        }

        await state.WriteStateAsync();
        Track(OfferEventKind.NotRelevant, coupon);
        return true;
    }

    /// <summary>Whether the shopper asked for quiet at this moment of the store's local day.</summary>
    private bool InQuietHours(StoreView view)
    {
        if (state.State.Profile?.Preferences is not { QuietFrom: { } from, QuietTo: { } to }
            || !TimeOnly.TryParseExact(from, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(to, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            return false;
        }

        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), view.TimeZone).DateTime);
        return start <= end ? local >= start && local < end : local >= start || local < end;
    }

    /// <summary>The rules picked an offer for this shopper.</summary>
    private void TrackTriggered(string offerId, string zoneId) =>
        Send(offerId, new OfferEvent(OfferEventKind.Triggered, zoneId, time.GetUtcNow()));

    private async Task OnHeldOutAsync(OfferDefinition offer, string zoneId)
    {
        var now = time.GetUtcNow();
        Send(offer.OfferId, new OfferEvent(OfferEventKind.HeldOut, zoneId, now, Pseudonym));
        await ExposeAsync(new OfferExposure(offer.OfferId, offer.BrandId, Treated: false, now));
    }

    /// <summary>A coupon is stored in the wallet: it counts as issued, the shopper is treated, and the store sees it.</summary>
    private async Task OnIssuedAsync(Coupon coupon)
    {
        Send(coupon.OfferId, new OfferEvent(OfferEventKind.Issued, coupon.ZoneId, coupon.IssuedAt, Pseudonym, coupon.CouponId, coupon.ExpiresAt));
        if (state.State.Profile is { } profile)
        {
            Fire(GrainFactory.GetGrain<IStoreActivityGrain>(profile.StoreId).CouponIssued(coupon.IssuedAt));
        }

        await ExposeAsync(new OfferExposure(coupon.OfferId, coupon.BrandId, Treated: true, coupon.IssuedAt));
    }

    private void Track(OfferEventKind kind, Coupon coupon) =>
        Send(coupon.OfferId, new OfferEvent(kind, coupon.ZoneId, time.GetUtcNow(), CouponId: coupon.CouponId));

    /// <summary>Tells the store's live view which zone the shopper is in, when it changed.</summary>
    private void ReportZone(string storeId, string? zoneId)
    {
        if (zoneId != _reportedZone)
        {
            _reportedZone = zoneId;
            Fire(GrainFactory.GetGrain<IStoreActivityGrain>(storeId).ShopperAt(Pseudonym, zoneId));
        }
    }

    /// <summary>Erasure: exposures, channel, loyalty card and the live view let go of the shopper.</summary>
    private async Task ForgetEngagementAsync(ShopperProfile profile)
    {
        var settings = GrainFactory.GetGrain<IShopperSettingsGrain>(ShopperId);
        if ((await settings.Get()).LoyaltyId is { } loyaltyId)
        {
            await GrainFactory.GetGrain<ILoyaltyCardGrain>(ShopperGrainKeys.LoyaltyCard(profile.StoreId, loyaltyId)).Unlink(ShopperId);
        }

        await settings.Clear();
        await GrainFactory.GetGrain<IShopperExposureGrain>(ShopperId).Clear();
        _reportedZone = "";
        ReportZone(profile.StoreId, null);
    }

    private async Task ExposeAsync(OfferExposure exposure)
    {
        try
        {
            await GrainFactory.GetGrain<IShopperExposureGrain>(ShopperId).Add(exposure);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAnalyticsFailed(logger, ex, exposure.OfferId);
        }
    }

    private void Send(string offerId, OfferEvent offerEvent) =>
        Fire(GrainFactory.GetGrain<IOfferAnalyticsGrain>(offerId).Record(offerEvent));

    /// <summary>One-way calls: results are informational and never hold up or fail a shopper's coupon.</summary>
    private void Fire(Task call)
    {
        if (!call.IsCompleted)
        {
            call.ContinueWith(t => LogAnalyticsFailed(logger, t.Exception!, ShopperId), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Current);
        }
        else if (call.IsFaulted)
        {
            LogAnalyticsFailed(logger, call.Exception!, ShopperId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Results for {Subject} could not be recorded")]
    private static partial void LogAnalyticsFailed(ILogger logger, Exception ex, string subject);
}
