namespace BeaconEngine.Contracts.Calibration;

/// <summary>
/// What a fit learned, for the installer to read: labelled samples per zone, the zones the walk missed,
/// the correction per gateway (dB), and the share of the walk's moments placed right before and after
/// (cross-validated over the walk itself).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationReportData")]
public sealed record CalibrationReportData(
    Dictionary<string, int> SamplesPerZone,
    string[] ZonesNotCovered,
    Dictionary<string, double> GatewayCorrections,
    double AccuracyBefore,
    double AccuracyAfter,
    int Moments,
    Dictionary<string, int>? SecondsPerZone = null);
