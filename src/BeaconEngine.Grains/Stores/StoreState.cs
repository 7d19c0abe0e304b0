using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Grains.Stores;

[GenerateSerializer]
public sealed class StoreState
{
    [Id(0)] public StoreLayout? Layout { get; set; }

    [Id(1)] public Dictionary<string, GatewayDefinition> Gateways { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public Dictionary<string, OfferDefinition> Offers { get; set; } = new(StringComparer.Ordinal);

    [Id(3)] public Guid BeaconUuid { get; set; }

    /// <summary>How many beacon identities were handed out; never decreases, so an identity is never reused.</summary>
    [Id(4)] public long IdentitiesIssued { get; set; }

    [Id(5)] public long Version { get; set; }

    /// <summary>Changes only when the layout does, so shoppers' resolvers are rebuilt only then.</summary>
    [Id(6)] public long LayoutVersion { get; set; }

    /// <summary>The calibration the store's shoppers are placed with; null for the uncalibrated model.</summary>
    [Id(7)] public ActiveCalibration? Calibration { get; set; }

    /// <summary>The calibration walks under way, by id.</summary>
    [Id(8)] public Dictionary<string, CalibrationDevice> CalibrationDevices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many calibration walks were opened; never decreases, so a device's minor is never reused.</summary>
    [Id(9)] public long CalibrationsIssued { get; set; }

    /// <summary>The fixed beacons shoppers' phones hear, by id; all share one proximity UUID.</summary>
    [Id(10)] public Dictionary<string, StoreBeaconDefinition> Beacons { get; set; } = new(StringComparer.Ordinal);
}
