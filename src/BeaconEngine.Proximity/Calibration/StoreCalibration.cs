namespace BeaconEngine.Proximity.Calibration;

/// <summary>What a calibration walk taught the zone model about one zone: each gateway's typical level there.</summary>
public sealed record ZoneFingerprint(string ZoneId, IReadOnlyDictionary<string, double> MeanRssiByGateway, int Samples);

/// <summary>
/// A store's calibration: a correction (dB) per gateway, added to every reading of it, and the
/// fingerprints of the zones the walk covered. Zones without a fingerprint keep the uncalibrated model.
/// </summary>
public sealed record StoreCalibration(IReadOnlyDictionary<string, double> GatewayCorrections, IReadOnlyList<ZoneFingerprint> Zones);

/// <summary>
/// What a fit learned, for the installer to read; <paramref name="SecondsPerZone"/>: the seconds of the walk with
/// labelled sightings in each zone (null in reports fitted before it was kept).
/// </summary>
public sealed record CalibrationReport(
    IReadOnlyDictionary<string, int> SamplesPerZone,
    IReadOnlyList<string> ZonesNotCovered,
    IReadOnlyDictionary<string, double> GatewayCorrections,
    double AccuracyBefore,
    double AccuracyAfter,
    int Moments,
    IReadOnlyDictionary<string, int>? SecondsPerZone = null)
{
    /// <summary>
    /// A zone walked for less than this (seconds) is learnt from too little: a 30 s-a-zone walk's own accuracy varied
    /// from 75 % to 94 % between walks of one simulated store, and shoppers were placed better after 60 s a zone
    /// (benchmarks/RESULTS.md, 2026-12-04 17:19 UTC).
    /// </summary>
    public const int SteadyZoneSeconds = 60;

    /// <summary>The covered zones walked for less than <see cref="SteadyZoneSeconds"/>, for the installer to walk again longer.</summary>
    public static IReadOnlyList<string> WalkedBriefly(IReadOnlyDictionary<string, int>? secondsPerZone) =>
        secondsPerZone is null ? [] : [.. secondsPerZone.Where(p => p.Value < SteadyZoneSeconds).Select(p => p.Key).Order(StringComparer.Ordinal)];
}

/// <summary>A fitted calibration and its report.</summary>
public sealed record CalibrationFit(StoreCalibration Calibration, CalibrationReport Report);
