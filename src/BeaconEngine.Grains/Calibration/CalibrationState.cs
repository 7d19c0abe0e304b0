using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Grains.Calibration;

/// <summary>A calibration walk's marks and sightings. Sightings are kept compact (a gateway index, dBm, Unix ms): a walk may hold 200,000.</summary>
[GenerateSerializer]
public sealed class CalibrationState
{
    /// <summary>Null until the walk is started.</summary>
    [Id(0)] public BeaconAdvertisement? Advertisement { get; set; }

    [Id(1)] public DateTimeOffset CreatedAt { get; set; }

    [Id(2)] public bool Ended { get; set; }

    /// <summary>In time order.</summary>
    [Id(3)] public List<CalibrationMark> Marks { get; set; } = [];

    /// <summary>The gateways heard, indexed by <see cref="StoredReading.Gateway"/>.</summary>
    [Id(4)] public List<string> Gateways { get; set; } = [];

    [Id(5)] public List<StoredReading> Readings { get; set; } = [];

    [Id(6)] public DateTimeOffset? FittedAt { get; set; }

    [Id(7)] public CalibrationReportData? LastReport { get; set; }
}

/// <summary>One sighting of the walk's device: the gateway's index in <see cref="CalibrationState.Gateways"/>, corrected dBm, Unix ms.</summary>
[GenerateSerializer, Immutable]
public readonly record struct StoredReading(int Gateway, double Rssi, long AtMs);
