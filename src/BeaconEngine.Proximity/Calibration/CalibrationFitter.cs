using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Calibration;

/// <summary>Fits a store's calibration from a labelled walk.</summary>
public static class CalibrationFitter
{
    /// <summary>
    /// Fits the store's calibration from the labelled readings of a calibration walk.
    /// Throws <see cref="ArgumentException"/> with a reason an installer can act on when the readings
    /// cannot be fitted (none labelled, or none from a gateway of the store).
    /// </summary>
    public static CalibrationFit Fit(StoreGeometry geometry, IReadOnlyList<LabelledReading> readings, ZoneResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(readings);
        var gateways = geometry.Gateways.ToDictionary(g => g.GatewayId, StringComparer.Ordinal);
        var zones = geometry.Zones.Select(z => z.ZoneId).ToHashSet(StringComparer.Ordinal);
        var usable = readings.Where(r => gateways.ContainsKey(r.GatewayId) && zones.Contains(r.ZoneId)).ToList();
        if (usable.Count == 0)
        {
            throw new ArgumentException("The calibration has no labelled sightings: mark the zone the device is in (POST .../marks) while the store's gateways hear its advertisement, then fit.", nameof(readings));
        }

        var samples = usable.GroupBy(r => r.ZoneId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var fingerprints = usable
            .GroupBy(r => r.ZoneId, StringComparer.Ordinal)
            .Select(z => new ZoneFingerprint(
                z.Key,
                z.GroupBy(r => r.GatewayId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Average(r => r.Rssi), StringComparer.Ordinal),
                z.Count()))
            .ToArray();
        var corrections = geometry.Gateways.ToDictionary(g => g.GatewayId, _ => 0.0, StringComparer.Ordinal);
        var notCovered = geometry.Zones.Select(z => z.ZoneId).Where(z => !samples.ContainsKey(z)).ToArray();
        var calibration = new StoreCalibration(corrections, fingerprints);
        var report = new CalibrationReport(samples, notCovered, corrections, 0, 0, 0);
        return new CalibrationFit(calibration, report);
    }
}
