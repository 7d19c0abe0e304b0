using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// A shopper's profile with the parts every shopper of a store has alike made one object for the node: the store's
/// id (about 70 bytes a live shopper otherwise, a string of its own read from each record) and the consent (one of
/// four immutable values). The profile stays equal to what was stored or given; only duplicates are let go.
/// </summary>
internal static class SharedProfileParts
{
    private static readonly Consent[] Consents = [new(false, false), new(false, true), new(true, false), new(true, true)];

    public static ShopperProfile? Share(ShopperProfile? profile)
    {
        if (profile is null)
        {
            return null;
        }

        // Store ids are few and long-lived, so the runtime's intern pool keeps them.
        var storeId = string.Intern(profile.StoreId);
        var consent = Consents[(profile.Consent.Proximity ? 2 : 0) + (profile.Consent.Offers ? 1 : 0)];
        return ReferenceEquals(storeId, profile.StoreId) && ReferenceEquals(consent, profile.Consent)
            ? profile
            : profile with { StoreId = storeId, Consent = consent };
    }
}
