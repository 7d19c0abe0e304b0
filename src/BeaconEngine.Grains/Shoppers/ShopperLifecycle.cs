using BeaconEngine.Contracts.Access;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Grains.Coupons;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// The shopper's workflows beyond their own rows, each run from within the shopper's grain in one call from
/// the caller: enrolment (their beacon identity and their token), their loyalty card, and erasure (their
/// coupons' codes and reservations, their settings and card, their identity and their token). One instance
/// per node.
/// </summary>
internal sealed class ShopperLifecycle(IGrainFactory grains, ICouponCodes codes, IOfferBooks offers, IShopperResults results)
{
    /// <summary>After the shopper's row is stored: the identity the app broadcasts and the token name them.</summary>
    public async Task EnrolAsync(ShopperProfile profile, string tokenHash)
    {
        if (!profile.Rotating)
        {
            // A rotating shopper's identity changes every period: the store's rotation roster resolves it instead.
            await grains.GetGrain<IBeaconIdentityGrain>(profile.Advertisement.Key).Assign(profile.ShopperId);
        }

        await grains.GetGrain<IAccessKeyGrain>(tokenHash).Issue(new AccessPrincipal(AccessRole.Shopper, profile.ShopperId, profile.StoreId));
    }

    /// <summary>
    /// Links the card to the shopper, and lets go of the card they held before. A card someone else holds is
    /// linked alike (the card keeps the claim for the store to settle): linking tells nobody whose a card is.
    /// </summary>
    public async Task<LoyaltyLink> LinkLoyaltyAsync(ShopperProfile profile, string loyaltyId)
    {
        await Card(profile.StoreId, loyaltyId).Claim(profile.ShopperId);
        var settings = grains.GetGrain<IShopperSettingsGrain>(profile.ShopperId);
        var current = await settings.Get();
        if (current.LoyaltyId is { } previous && previous != loyaltyId)
        {
            await Card(profile.StoreId, previous).Unlink(profile.ShopperId);
        }

        await settings.Set(current with { LoyaltyId = loyaltyId });
        return LoyaltyLink.Linked;
    }

    public async Task UnlinkLoyaltyAsync(ShopperProfile profile)
    {
        var settings = grains.GetGrain<IShopperSettingsGrain>(profile.ShopperId);
        var current = await settings.Get();
        if (current.LoyaltyId is { } loyaltyId)
        {
            await Card(profile.StoreId, loyaltyId).Unlink(profile.ShopperId);
            await settings.Set(current with { LoyaltyId = null });
        }
    }

    public async Task EraseAsync(string shopperId, ShopperState shopper)
    {
        if (shopper.Profile is not { } profile)
        {
            return;
        }

        foreach (var coupon in shopper.WalletIfAny() ?? [])
        {
            await codes.RemoveAsync(coupon.Code);

            // Confirmed reservations are settled in the offer's memory first; its stored ledger may still name the shopper.
            await offers.SettleForErasureAsync(coupon.OfferId, coupon.CouponId);
        }

        var settings = grains.GetGrain<IShopperSettingsGrain>(shopperId);
        if ((await settings.Get()).LoyaltyId is { } loyaltyId)
        {
            await Card(profile.StoreId, loyaltyId).Unlink(shopperId);
        }

        await settings.Clear();
        results.ZoneChanged(profile.StoreId, shopperId, null);
        if (profile.Rotating)
        {
            await grains.GetGrain<IRotationRosterGrain>(profile.StoreId).Remove(shopperId);
        }
        else
        {
            await grains.GetGrain<IBeaconIdentityGrain>(profile.Advertisement.Key).Release();
        }

        if (shopper.TokenHash is not null)
        {
            await grains.GetGrain<IAccessKeyGrain>(shopper.TokenHash).Revoke();
        }
    }

    private ILoyaltyCardGrain Card(string storeId, string loyaltyId) => grains.GetGrain<ILoyaltyCardGrain>(ShopperGrainKeys.LoyaltyCard(storeId, loyaltyId));
}
