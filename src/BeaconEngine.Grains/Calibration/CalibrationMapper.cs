using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Proximity.Calibration;

namespace BeaconEngine.Grains.Calibration;

/// <summary>Between the calibration as stored and sent between nodes (contracts) and as the zone model reads it (proximity).</summary>
public static class CalibrationMapper
{
    public static StoreCalibration ToProximity(CalibrationModel model) => new(
        model.GatewayCorrections,
        [.. model.Zones.Select(z => new ZoneFingerprint(z.ZoneId, z.MeanRssiByGateway, z.Samples))]);

    public static StoreCalibration ToProximity(ActiveCalibration calibration) => ToProximity(calibration.Model);

    public static CalibrationModel ToContract(StoreCalibration calibration) => new(
        new Dictionary<string, double>(calibration.GatewayCorrections, StringComparer.Ordinal),
        [.. calibration.Zones.Select(z => new ZoneFingerprintData(z.ZoneId, new Dictionary<string, double>(z.MeanRssiByGateway, StringComparer.Ordinal), z.Samples))]);

    public static CalibrationReportData ToContract(CalibrationReport report) => new(
        new Dictionary<string, int>(report.SamplesPerZone, StringComparer.Ordinal),
        [.. report.ZonesNotCovered],
        new Dictionary<string, double>(report.GatewayCorrections, StringComparer.Ordinal),
        report.AccuracyBefore,
        report.AccuracyAfter,
        report.Moments,
        report.SecondsPerZone is null ? null : new Dictionary<string, int>(report.SecondsPerZone, StringComparer.Ordinal));
}
