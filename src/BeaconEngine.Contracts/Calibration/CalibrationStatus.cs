using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Contracts.Calibration;

/// <summary>A calibration walk as it stands: open (taking marks and sightings) or ended, what it holds, and its last fit.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationStatus")]
public sealed record CalibrationStatus(
    string StoreId,
    string CalibrationId,
    bool Open,
    BeaconAdvertisement Advertisement,
    DateTimeOffset CreatedAt,
    CalibrationMark[] Marks,
    int Sightings,
    Dictionary<string, int> LabelledPerZone,
    DateTimeOffset? FittedAt,
    CalibrationReportData? LastReport);
