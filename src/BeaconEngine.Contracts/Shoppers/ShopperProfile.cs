using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Contracts.Shoppers;

/// <summary>A shopper as enrolled. <paramref name="PreferencesJson"/> keeps the app's preferences object as given.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ShopperProfile")]
public sealed record ShopperProfile(
    string ShopperId,
    string StoreId,
    Consent Consent,
    string? PreferencesJson,
    BeaconAdvertisement Advertisement,
    DateTimeOffset EnrolledAt,
    ShopperPreferences? Preferences = null);
