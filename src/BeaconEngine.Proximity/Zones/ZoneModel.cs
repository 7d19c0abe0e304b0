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
    /// <summary>How far below the strongest gateway a fingerprint may expect a gateway it never heard there.</summary>
    internal const double FloorBelowStrongestDb = 30;

    private readonly FrozenDictionary<string, double> _corrections;
    private readonly FrozenDictionary<string, FrozenDictionary<string, double>> _fingerprints;

    public ZoneModel(ZoneGraph? graph = null, StoreCalibration? calibration = null)
    {
        Graph = graph ?? ZoneGraph.Unconstrained;
        Calibration = calibration;
        _corrections = (calibration?.GatewayCorrections ?? new Dictionary<string, double>())
            .Where(p => double.IsFinite(p.Value) && p.Value != 0)
            .ToFrozenDictionary(StringComparer.Ordinal);
        _fingerprints = (calibration?.Zones ?? [])
            .Where(z => z.MeanRssiByGateway.Count > 0)
            .ToFrozenDictionary(z => z.ZoneId, Relative, StringComparer.Ordinal);
    }

    public static ZoneModel Uncalibrated { get; } = new();

    public ZoneGraph Graph { get; }

    public StoreCalibration? Calibration { get; }

    /// <summary>True when a calibration taught the model at least one zone.</summary>
    public bool IsCalibrated => _fingerprints.Count > 0;

    /// <summary>The correction (dB) added to a gateway's readings; 0 when the calibration has none.</summary>
    public double Correction(string gatewayId) => _corrections.GetValueOrDefault(gatewayId);

    /// <summary>
    /// The calibrated zone's expected level of each gateway relative to the strongest one there (0 or
    /// below, corrections applied), or null for a zone the calibration did not cover.
    /// </summary>
    public FrozenDictionary<string, double>? Fingerprint(string zoneId) => _fingerprints.GetValueOrDefault(zoneId);

    private FrozenDictionary<string, double> Relative(ZoneFingerprint zone)
    {
        var corrected = zone.MeanRssiByGateway.ToDictionary(p => p.Key, p => p.Value + _corrections.GetValueOrDefault(p.Key), StringComparer.Ordinal);
        var strongest = corrected.Values.Max();
        return corrected.ToFrozenDictionary(p => p.Key, p => Math.Max(-FloorBelowStrongestDb, p.Value - strongest), StringComparer.Ordinal);
    }
}
