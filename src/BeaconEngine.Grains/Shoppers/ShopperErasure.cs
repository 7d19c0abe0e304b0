using BeaconEngine.Contracts.Access;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Grains.Coupons;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// Erasure beyond the shopper's own rows: their coupons' codes and reservations, their settings and loyalty
/// card, their beacon identity and their token. The shopper's grain clears its own state after.
/// </summary>
internal sealed class ShopperErasure(IGrainFactory grains, ICouponCodes codes, IOfferBooks offers, IShopperResults results)
{
    public async Task EraseAsync(string shopperId, ShopperState shopper)
    {
        if (shopper.Profile is not { } profile)
        {
            return;
        }

        foreach (var coupon in shopper.Wallet)
        {
            await codes.RemoveAsync(coupon.Code);

            // Confirmed reservations are settled in the offer's memory first; its stored ledger may still name the shopper.
            await offers.SettleForErasureAsync(coupon.OfferId, coupon.CouponId);
        }

        var settings = grains.GetGrain<IShopperSettingsGrain>(shopperId);
        if ((await settings.Get()).LoyaltyId is { } loyaltyId)
        {
            await grains.GetGrain<ILoyaltyCardGrain>(ShopperGrainKeys.LoyaltyCard(profile.StoreId, loyaltyId)).Unlink(shopperId);
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
}
