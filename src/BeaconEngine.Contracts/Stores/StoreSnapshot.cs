using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// Everything the engine needs to serve one store, at one <paramref name="Version"/>.
/// <paramref name="LayoutVersion"/> changes only with the layout (zones, adjacency, proximity settings)
/// and the store's calibration. <paramref name="Calibration"/> is the active calibration, if any;
/// <paramref name="CalibrationDevices"/> are the advertisements of the calibration walks under way,
/// whose sightings serve the walk only. <paramref name="Beacons"/> are the fixed beacons shoppers' phones hear.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreSnapshot")]
public sealed record StoreSnapshot(
    string StoreId,
    StoreLayout Layout,
    GatewayDefinition[] Gateways,
    OfferDefinition[] Offers,
    Guid BeaconUuid,
    long Version,
    long LayoutVersion,
    ActiveCalibration? Calibration = null,
    CalibrationDevice[]? CalibrationDevices = null,
    StoreBeaconDefinition[]? Beacons = null);
