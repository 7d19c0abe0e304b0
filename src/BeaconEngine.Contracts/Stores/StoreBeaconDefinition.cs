namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// A fixed beacon the operator installed in a zone, which shoppers' phones hear (the other direction from a
/// gateway). <paramref name="TxPower"/> is its calibrated power at 1 m (dBm), when given; <paramref name="Position"/>
/// is where it hangs. Every beacon of a store shares one proximity UUID, so one iOS region covers the store.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreBeaconDefinition")]
public sealed record StoreBeaconDefinition(string BeaconId, string ZoneId, BeaconAdvertisement IBeacon, double? TxPower = null, StorePosition? Position = null);

/// <summary>What became of a beacon's registration; <see cref="BeaconRegistration.Detail"/> says why it was refused.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.BeaconRegistration")]
public sealed record BeaconRegistration(BeaconRegistrationResult Result, string? Detail = null);

[GenerateSerializer, Alias("BeaconEngine.BeaconRegistrationResult")]
public enum BeaconRegistrationResult
{
    Registered,
    StoreNotFound,
    ZoneNotFound,

    /// <summary>The beacon id, or its identity, is in use (by another beacon or a shopper).</summary>
    Conflict,

    /// <summary>The UUID differs from the one the store's other beacons share.</summary>
    OtherRegion,
}
