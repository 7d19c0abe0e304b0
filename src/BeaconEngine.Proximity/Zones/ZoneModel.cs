using System.Collections.Frozen;
using BeaconEngine.Proximity.Calibration;

namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// What a store's resolvers share: which zones one can walk between, where its zones and gateways lie when
/// the layout gives positions, and what the store's calibration (if any) learnt: a correction per gateway
/// and, for each zone the walk covered, the pattern of levels its gateways read there. Immutable apart from
/// a cache of the path-loss table; built once per store layout and calibration.
/// </summary>
public sealed class ZoneModel
{
    /// <summary>
    /// How far (dB) below the weakest gateway of a calibrated zone the model expects a gateway the walk did
    /// not hear there, or too seldom to learn its level: what a receiver at the edge of its range reports.
    /// Chosen with the simulator's calibration walks (a far gateway heard now and then must not veto the
    /// zone); the public walks hear every receiver everywhere, so it does not touch them.
    /// </summary>
    internal const double UnheardBelowWeakestDb = 3;

    private readonly FrozenDictionary<string, double> _corrections;
    private readonly FrozenDictionary<string, ZoneLevels> _fingerprints;
    private readonly FrozenDictionary<string, string> _gatewayZones;

    // The calibrated zones' levels shrunk towards the prior for one set of options, built on first use.
    private Shrunk? _shrunk;

    // The expected levels for the store's path-loss settings, built on first use (every resolver of a store shares them).
    private PathLossTable? _table;

    public ZoneModel(ZoneGraph? graph = null, StoreCalibration? calibration = null, StoreGeometry? geometry = null)
    {
        Graph = graph ?? ZoneGraph.Unconstrained;
        Calibration = calibration;
        Regions = geometry is null ? null : ZoneRegions.From(geometry);
        _corrections = (calibration?.GatewayCorrections ?? new Dictionary<string, double>())
            .Where(p => double.IsFinite(p.Value) && p.Value != 0)
            .ToFrozenDictionary(StringComparer.Ordinal);
        _fingerprints = (calibration?.Zones ?? [])
            .Where(z => z.MeanRssiByGateway.Count > 0)
            .ToFrozenDictionary(z => z.ZoneId, Levels, StringComparer.Ordinal);
        _gatewayZones = (geometry?.Gateways ?? [])
            .DistinctBy(g => g.GatewayId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.GatewayId, g => g.ZoneId, StringComparer.Ordinal);
    }

    public static ZoneModel Uncalibrated { get; } = new();

    public ZoneGraph Graph { get; }

    public StoreCalibration? Calibration { get; }

    /// <summary>Where the zones lie, when every gateway of the layout has a position; null keeps the lead rule.</summary>
    public ZoneRegions? Regions { get; }

    /// <summary>True when a calibration taught the model at least one zone.</summary>
    public bool IsCalibrated => _fingerprints.Count > 0;

    /// <summary>The correction (dB) added to a gateway's readings; 0 when the calibration has none.</summary>
    public double Correction(string gatewayId) => _corrections.GetValueOrDefault(gatewayId);

    /// <summary>
    /// The levels (dBm, corrections applied) each gateway read in a calibrated zone during the walk, and
    /// the level expected of the others; null for a zone the calibration did not cover.
    /// </summary>
    public ZoneLevels? Fingerprint(string zoneId) => _fingerprints.GetValueOrDefault(zoneId);

    /// <summary>
    /// The levels a calibrated zone expects for these settings: the walk's, shrunk towards the uncalibrated prior
    /// by <see cref="ZoneResolverOptions.CalibrationPriorWeight"/> when the model knows the layout's gateways
    /// (computed once per model and settings, not per sighting); null for a zone the calibration did not cover.
    /// </summary>
    public ZoneLevels? Fingerprint(string zoneId, ZoneResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var walked = _fingerprints.GetValueOrDefault(zoneId);
        if (walked is null || options.CalibrationPriorWeight <= 0 || _gatewayZones.Count == 0)
        {
            return walked;
        }

        var shrunk = Volatile.Read(ref _shrunk);
        if (shrunk is null || !shrunk.For(options))
        {
            // Racing builders make equal results; the last one written stays.
            shrunk = Shrink(options);
            Volatile.Write(ref _shrunk, shrunk);
        }

        return shrunk.Zones.GetValueOrDefault(zoneId) ?? walked;
    }

    /// <summary>The expected levels of the zones' points for these settings; null without positions.</summary>
    public PathLossTable? PathLoss(ZoneResolverOptions options)
    {
        if (Regions is null)
        {
            return null;
        }

        var table = Volatile.Read(ref _table);
        if (table is null || table.PathLossExponent != options.PathLossExponent || table.HeightMetres != options.GatewayHeightMetres)
        {
            // Racing builders make equal tables; the last one written stays.
            table = Regions.Table(options.PathLossExponent, options.GatewayHeightMetres);
            Volatile.Write(ref _table, table);
        }

        return table;
    }

    /// <summary>
    /// Each calibrated zone's levels moved towards what the uncalibrated model expects there: the prior's pattern
    /// across the gateways (the path-loss levels at the zone's point that fits the walk best, mixed with the lead
    /// rule by <see cref="ZoneResolverOptions.GeometryWeight"/>; the lead rule alone without positions), shifted by
    /// the one offset that lines it up with the walk's levels (the walk's device sets the absolute level), then
    /// <c>(1 - w) walk + w prior</c>. With equal spreads this is the log-linear mix of the two Gaussian likelihoods
    /// (up to a constant per zone), so the per-sighting score is unchanged.
    /// </summary>
    private Shrunk Shrink(ZoneResolverOptions options)
    {
        var w = options.CalibrationPriorWeight;
        var table = PathLoss(options);
        var geometryWeight = table is null ? 0 : options.GeometryWeight;
        var zones = new Dictionary<string, ZoneLevels>(StringComparer.Ordinal);
        foreach (var (zoneId, walked) in _fingerprints)
        {
            var gateways = walked.ByGateway.Keys.ToArray();
            var levels = gateways.Select(g => walked.ByGateway[g]).ToArray();
            var lead = gateways.Select(g => _gatewayZones.TryGetValue(g, out var z) && z == zoneId ? 0.0 : -options.ZoneLeadDb).ToArray();
            var indices = Regions is null ? [] : gateways.Select(Regions.GatewayIndex).ToArray();
            var expected = geometryWeight > 0 && indices.All(i => i >= 0) ? table!.Zone(zoneId) : null;

            var best = lead;
            var bestResidual = double.PositiveInfinity;
            var points = expected is null ? 1 : expected.Length / table!.Gateways;
            for (var p = 0; p < points; p++)
            {
                var pattern = expected is null ? lead
                    : lead.Select((l, i) => (geometryWeight * expected[(p * table!.Gateways) + indices[i]]) + ((1 - geometryWeight) * l)).ToArray();
                var offset = levels.Select((l, i) => l - pattern[i]).Average();
                var residual = levels.Select((l, i) => (l - pattern[i] - offset) * (l - pattern[i] - offset)).Sum();
                if (residual < bestResidual)
                {
                    bestResidual = residual;
                    best = pattern.Select(v => v + offset).ToArray();
                }
            }

            var mixed = gateways.Select((g, i) => (g, level: ((1 - w) * levels[i]) + (w * best[i])))
                .ToFrozenDictionary(p => p.g, p => p.level, StringComparer.Ordinal);
            zones[zoneId] = new ZoneLevels(mixed, mixed.Values.Min() - UnheardBelowWeakestDb);
        }

        return new Shrunk(options, zones.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private ZoneLevels Levels(ZoneFingerprint zone)
    {
        var corrected = zone.MeanRssiByGateway.ToFrozenDictionary(p => p.Key, p => p.Value + _corrections.GetValueOrDefault(p.Key), StringComparer.Ordinal);
        return new ZoneLevels(corrected, corrected.Values.Min() - UnheardBelowWeakestDb);
    }
}

/// <summary>The shrunk levels of the calibrated zones, and the settings they were computed for.</summary>
internal sealed class Shrunk(ZoneResolverOptions options, FrozenDictionary<string, ZoneLevels> zones)
{
    private readonly double _weight = options.CalibrationPriorWeight;
    private readonly double _geometryWeight = options.GeometryWeight;
    private readonly double _lead = options.ZoneLeadDb;
    private readonly double _exponent = options.PathLossExponent;
    private readonly double _height = options.GatewayHeightMetres;

    public FrozenDictionary<string, ZoneLevels> Zones { get; } = zones;

    public bool For(ZoneResolverOptions options) =>
        options.CalibrationPriorWeight == _weight && options.GeometryWeight == _geometryWeight && options.ZoneLeadDb == _lead
        && options.PathLossExponent == _exponent && options.GatewayHeightMetres == _height;
}

/// <summary>What a calibrated zone expects each gateway to read there (dBm), and <paramref name="Unheard"/> for a gateway the walk did not hear in it.</summary>
public sealed record ZoneLevels(FrozenDictionary<string, double> ByGateway, double Unheard)
{
    public double Expected(string gatewayId) => ByGateway.TryGetValue(gatewayId, out var level) ? level : Unheard;
}
