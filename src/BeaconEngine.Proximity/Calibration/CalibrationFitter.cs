using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Calibration;

/// <summary>
/// Fits a store's calibration from a labelled walk: a correction for each gateway that does not lead in
/// its own zone, and the pattern of levels the store's gateways read in each zone the walk covered.
/// </summary>
public static class CalibrationFitter
{
    /// <summary>A gateway heard fewer times than this in a zone is left out of that zone's pattern.</summary>
    public const int MinSamplesPerGateway = 5;

    /// <summary>The largest correction a fit gives a gateway, dB.</summary>
    public const double MaxCorrectionDb = 15;

    private const int Folds = 5;

    /// <summary>
    /// Fits the store's calibration from the labelled readings of a calibration walk, and reports what it
    /// learnt with the accuracy before and after, cross-validated over the walk's own moments (each fifth
    /// of each zone's stretch of the walk is scored by a calibration fitted on the rest).
    /// Throws <see cref="ArgumentException"/> with a reason an installer can act on when the readings
    /// cannot be fitted (none labelled with a zone and a gateway of the store).
    /// </summary>
    public static CalibrationFit Fit(StoreGeometry geometry, IReadOnlyList<LabelledReading> readings, ZoneResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(options);
        var gateways = geometry.Gateways.ToDictionary(g => g.GatewayId, StringComparer.Ordinal);
        var zones = geometry.Zones.Select(z => z.ZoneId).ToHashSet(StringComparer.Ordinal);
        var usable = readings
            .Where(r => gateways.ContainsKey(r.GatewayId) && zones.Contains(r.ZoneId) && double.IsFinite(r.Rssi))
            .OrderBy(r => r.At)
            .ToList();
        if (usable.Count == 0)
        {
            throw new ArgumentException(
                "The calibration has no labelled sightings: mark the zone the device is in (POST .../marks) while the store's gateways hear its advertisement, then fit.",
                nameof(readings));
        }

        var calibration = Learn(geometry, gateways, usable);
        var (before, after, moments) = CrossValidate(geometry, gateways, usable, options);
        var samples = usable.GroupBy(r => r.ZoneId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var notCovered = geometry.Zones.Select(z => z.ZoneId).Where(z => !samples.ContainsKey(z)).ToArray();
        // The seconds of the walk in each zone: whole seconds from the zone's first labelled moment that hold one.
        var seconds = usable.GroupBy(r => r.ZoneId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => g.Select(r => (long)Math.Floor((r.At - g.First().At).TotalSeconds)).Distinct().Count(),
            StringComparer.Ordinal);
        var report = new CalibrationReport(samples, notCovered, calibration.GatewayCorrections, before, after, moments, seconds);
        return new CalibrationFit(calibration, report);
    }

    private static StoreCalibration Learn(StoreGeometry geometry, Dictionary<string, GatewayPlacement> gateways, IEnumerable<LabelledReading> readings)
    {
        // Each covered zone: each gateway's mean level there (enough samples only).
        var fingerprints = readings
            .GroupBy(r => r.ZoneId, StringComparer.Ordinal)
            .Select(z => new ZoneFingerprint(
                z.Key,
                z.GroupBy(r => r.GatewayId, StringComparer.Ordinal)
                    .Where(g => g.Count() >= MinSamplesPerGateway)
                    .ToDictionary(g => g.Key, g => g.Average(r => r.Rssi), StringComparer.Ordinal),
                z.Count()))
            .Where(z => z.MeanRssiByGateway.Count > 0)
            .ToArray();

        // A gateway that reads weaker than another gateway inside its own zone is lifted by the gap, so
        // the uncalibrated model (which expects a zone's own gateway to lead) serves the zones the walk
        // did not cover better too. Gateways whose zone the walk missed are left as they are.
        var corrections = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var gateway in geometry.Gateways)
        {
            var own = fingerprints.FirstOrDefault(f => f.ZoneId == gateway.ZoneId);
            if (own is null || !own.MeanRssiByGateway.TryGetValue(gateway.GatewayId, out var level))
            {
                corrections[gateway.GatewayId] = 0;
                continue;
            }

            var strongest = own.MeanRssiByGateway.Values.Max();
            corrections[gateway.GatewayId] = Math.Round(Math.Clamp(strongest - level, 0, MaxCorrectionDb), 2);
        }

        return new StoreCalibration(corrections, fingerprints);
    }

    private static (double Before, double After, int Moments) CrossValidate(
        StoreGeometry geometry, Dictionary<string, GatewayPlacement> gateways, List<LabelledReading> readings, ZoneResolverOptions options)
    {
        var graph = new ZoneGraph(geometry.Zones.Select(z => (z.ZoneId, (IEnumerable<string>)z.Neighbors)));
        var moments = readings.Select(r => r.At).Distinct().Order().ToArray();
        if (moments.Length < Folds * 2)
        {
            // Too short a walk to hold any of it out: score it on itself.
            var whole = new ZoneModel(graph, Learn(geometry, gateways, readings), geometry);
            return (Score(readings, gateways, new ZoneModel(graph, null, geometry), options, _ => true), Score(readings, gateways, whole, options, _ => true), moments.Length);
        }

        // Each zone's stretch of the walk is cut into fifths, and fold k holds out the k-th fifth of every
        // zone: each held-out moment is scored by a fit that learnt its zone from the rest of the walk there,
        // as the store's shoppers will be by a fit of the whole walk. (Holding out whole fifths of the walk
        // would score zones the fit never saw, which says little about the calibration.)
        var fold = new Dictionary<DateTimeOffset, int>();
        foreach (var zone in readings.GroupBy(r => r.ZoneId, StringComparer.Ordinal))
        {
            var times = zone.Select(r => r.At).Distinct().Order().ToArray();
            for (var i = 0; i < times.Length; i++)
            {
                fold.TryAdd(times[i], i * Folds / times.Length);
            }
        }

        var right = 0.0;
        var rightBefore = 0.0;
        for (var k = 0; k < Folds; k++)
        {
            bool Held(DateTimeOffset at) => fold[at] == k;
            var model = new ZoneModel(graph, Learn(geometry, gateways, readings.Where(r => !Held(r.At))), geometry);
            var count = moments.Count(Held);
            right += Score(readings, gateways, model, options, Held) * count;
            rightBefore += Score(readings, gateways, new ZoneModel(graph, null, geometry), options, Held) * count;
        }

        return (Math.Round(rightBefore / moments.Length, 4), Math.Round(right / moments.Length, 4), moments.Length);
    }

    /// <summary>Replays the walk through a resolver on <paramref name="model"/>; the share of scored moments placed in their labelled zone.</summary>
    private static double Score(List<LabelledReading> readings, Dictionary<string, GatewayPlacement> gateways, ZoneModel model, ZoneResolverOptions options, Func<DateTimeOffset, bool> scored)
    {
        var resolver = new ZoneResolver(options, model);
        var events = new List<ProximityEvent>();
        var total = 0;
        var right = 0;
        for (var i = 0; i < readings.Count;)
        {
            var at = readings[i].At;
            var label = readings[i].ZoneId;
            for (; i < readings.Count && readings[i].At == at; i++)
            {
                resolver.Observe(new GatewayReading(readings[i].GatewayId, gateways[readings[i].GatewayId].ZoneId, readings[i].Rssi, at), events);
            }

            resolver.Settle(events);
            events.Clear();
            if (scored(at))
            {
                total++;
                right += resolver.CurrentZoneId == label ? 1 : 0;
            }
        }

        return total == 0 ? 0 : (double)right / total;
    }
}
