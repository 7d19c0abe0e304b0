using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>What shoppers change about themselves; the shopper's own grain. Key: shopper id.</summary>
[Alias("BeaconEngine.IShopperSelfServiceGrain")]
public interface IShopperSelfServiceGrain : IGrainWithStringKey
{
    /// <summary>Replaces the preferences (as read, and the app's object as given); null if there is no such shopper.</summary>
    [Alias("SetPreferences")]
    Task<ShopperProfile?> SetPreferences(ShopperPreferences preferences, string preferencesJson);

    /// <summary>Withdrawing proximity also forgets where the shopper has been; withdrawing offers stops coupons.</summary>
    [Alias("SetConsent")]
    Task<ShopperProfile?> SetConsent(Consent consent);

    /// <summary>
    /// "Not relevant": closes the coupon as dismissed and tells the rules the shopper wants no more of its
    /// category. False if the shopper holds no such coupon.
    /// </summary>
    [Alias("MarkNotRelevant")]
    Task<bool> MarkNotRelevant(string couponId);

    /// <summary>Links the store's loyalty card to the shopper, letting go of the one they held before.</summary>
    [Alias("LinkLoyalty")]
    Task<LoyaltyLink> LinkLoyalty(string loyaltyId);

    /// <summary>Lets go of the shopper's loyalty card, if any; false if there is no such shopper.</summary>
    [Alias("UnlinkLoyalty")]
    Task<bool> UnlinkLoyalty();
}
