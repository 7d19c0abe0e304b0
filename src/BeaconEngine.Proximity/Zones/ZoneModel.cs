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

    private ZoneLevels Levels(ZoneFingerprint zone)
    {
        var corrected = zone.MeanRssiByGateway.ToFrozenDictionary(p => p.Key, p => p.Value + _corrections.GetValueOrDefault(p.Key), StringComparer.Ordinal);
        return new ZoneLevels(corrected, corrected.Values.Min() - UnheardBelowWeakestDb);
    }
}

/// <summary>What a calibrated zone expects each gateway to read there (dBm), and <paramref name="Unheard"/> for a gateway the walk did not hear in it.</summary>
public sealed record ZoneLevels(FrozenDictionary<string, double> ByGateway, double Unheard)
{
    public double Expected(string gatewayId) => ByGateway.TryGetValue(gatewayId, out var level) ? level : Unheard;
}
