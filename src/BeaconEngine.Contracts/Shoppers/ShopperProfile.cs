using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Contracts.Shoppers;

/// <summary>
/// A shopper as enrolled. <paramref name="PreferencesJson"/> keeps the app's preferences object as given.
/// <paramref name="Rotating"/>: the shopper's phone rotates its identity; <paramref name="Advertisement"/> is then the
/// identity of the enrolment's period only, and the rotation secret is kept by the store's <see cref="IRotationRosterGrain"/>.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ShopperProfile")]
public sealed record ShopperProfile(
    string ShopperId,
    string StoreId,
    Consent Consent,
    string? PreferencesJson,
    BeaconAdvertisement Advertisement,
    DateTimeOffset EnrolledAt,
    ShopperPreferences? Preferences = null,
    bool Rotating = false);
