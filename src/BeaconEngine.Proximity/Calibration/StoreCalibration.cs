namespace BeaconEngine.Proximity.Calibration;

/// <summary>What a calibration walk taught the zone model about one zone: each gateway's typical level there.</summary>
public sealed record ZoneFingerprint(string ZoneId, IReadOnlyDictionary<string, double> MeanRssiByGateway, int Samples);

/// <summary>
/// A store's calibration: a correction (dB) per gateway, added to every reading of it, and the
/// fingerprints of the zones the walk covered. Zones without a fingerprint keep the uncalibrated model.
/// </summary>
public sealed record StoreCalibration(IReadOnlyDictionary<string, double> GatewayCorrections, IReadOnlyList<ZoneFingerprint> Zones);

/// <summary>What a fit learned, for the installer to read.</summary>
public sealed record CalibrationReport(
    IReadOnlyDictionary<string, int> SamplesPerZone,
    IReadOnlyList<string> ZonesNotCovered,
    IReadOnlyDictionary<string, double> GatewayCorrections,
    double AccuracyBefore,
    double AccuracyAfter,
    int Moments);

/// <summary>A fitted calibration and its report.</summary>
public sealed record CalibrationFit(StoreCalibration Calibration, CalibrationReport Report);
