using System.Collections.Frozen;
using BeaconEngine.Proximity.Calibration;

namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// What a store's resolvers share: which zones one can walk between, and what the store's calibration
/// (if any) learnt: a correction per gateway and, for each zone the walk covered, the pattern of levels
/// its gateways read there. Immutable; built once per store layout and calibration.
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

    public ZoneModel(ZoneGraph? graph = null, StoreCalibration? calibration = null)
    {
        Graph = graph ?? ZoneGraph.Unconstrained;
        Calibration = calibration;
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

    /// <summary>True when a calibration taught the model at least one zone.</summary>
    public bool IsCalibrated => _fingerprints.Count > 0;

    /// <summary>The correction (dB) added to a gateway's readings; 0 when the calibration has none.</summary>
    public double Correction(string gatewayId) => _corrections.GetValueOrDefault(gatewayId);

    /// <summary>
    /// The levels (dBm, corrections applied) each gateway read in a calibrated zone during the walk, and
    /// the level expected of the others; null for a zone the calibration did not cover.
    /// </summary>
    public ZoneLevels? Fingerprint(string zoneId) => _fingerprints.GetValueOrDefault(zoneId);

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
