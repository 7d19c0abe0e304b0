using BenchmarkDotNet.Attributes;
using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Calibration;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Benchmarks;

/// <summary>
/// Per-sighting cost of the proximity step: decode the gateway's hex, read the iBeacon, feed the zone
/// resolver (3 gateways hearing one shopper at 5 Hz each, with jitter), uncalibrated and with a store
/// calibration (corrections and fingerprints), on a zone graph of three aisles in a row; and uncalibrated with
/// the gateways' positions (the path-loss prior over each zone's region) against the lead rule without them.
/// </summary>
[MemoryDiagnoser]
public class SightingPathBenchmarks
{
    private const string Frame = "0201061AFF4C000215F7826DA64FA24E988024BC5B71E0893E04D2162EC5";
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly List<ProximityEvent> _events = new(8);
    private readonly double[] _rssi = [-61, -58, -66, -60, -63, -57, -64, -59];
    private readonly string[] _gateways = ["gw-1", "gw-2", "gw-3"];
    private readonly string[] _zones = ["aisle-1", "aisle-2", "aisle-3"];
    private ZoneResolver _resolver = null!;
    private ZoneResolver _calibrated = null!;
    private ZoneResolver _asTheGrainDoes = null!;
    private ZoneResolver _withPositions = null!;
    private ZoneResolver _asTheGrainDoesWithPositions = null!;
    private ZoneResolver _asTheGrainDoesLearningOffset = null!;
    private byte[] _frameBytes = null!;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        var graph = new ZoneGraph([("aisle-1", ["aisle-2"]), ("aisle-2", ["aisle-3"])]);
        _resolver = new ZoneResolver(new ZoneResolverOptions(), graph);
        var calibration = new StoreCalibration(
            new Dictionary<string, double> { ["gw-2"] = 3 },
            [.. _zones.Select((zone, z) => new ZoneFingerprint(zone, _gateways.Select((g, i) => (g, -58.0 - (6 * Math.Abs(i - z)))).ToDictionary(p => p.g, p => p.Item2), 50))]);
        _calibrated = new ZoneResolver(new ZoneResolverOptions(), new ZoneModel(graph, calibration));
        _asTheGrainDoes = new ZoneResolver(new ZoneResolverOptions(), graph);
        var geometry = new StoreGeometry(
            [.. _zones.Select(z => new ZoneShape(z, []))],
            [.. _gateways.Select((g, i) => new GatewayPlacement(g, _zones[i], new StorePoint(3 + (6 * i), 6)))]);
        _withPositions = new ZoneResolver(new ZoneResolverOptions(), new ZoneModel(graph, null, geometry));
        _asTheGrainDoesWithPositions = new ZoneResolver(new ZoneResolverOptions(), new ZoneModel(graph, null, geometry));
        _asTheGrainDoesLearningOffset = new ZoneResolver(new ZoneResolverOptions { DeviceOffsetLearningSeconds = 120, DeviceOffsetDriftDb = 1 }, new ZoneModel(graph, null, geometry));
        Hex.TryDecode(Frame, out _frameBytes, out _);
        for (var i = 0; i < 100; i++)
        {
            ResolveOneSighting();
            ResolveOneSightingCalibrated();
            ResolveSettleAndConfidence();
            ResolveOneSightingWithPositions();
            ResolveSettleAndConfidenceWithPositions();
            ResolveSettleAndConfidenceLearningOffset();
        }
    }

    [Benchmark]
    public bool ParseHexAndIBeacon()
    {
        Hex.TryDecode(Frame, out var bytes, out _);
        return AdvertisementParser.TryReadIBeacon(bytes, out _, out _) == AdvertisementResult.Ok;
    }

    [Benchmark]
    public bool ParseIBeaconFromBytes() => AdvertisementParser.TryReadIBeacon(_frameBytes, out _, out _) == AdvertisementResult.Ok;

    [Benchmark]
    public int ParseWholeAdvertisement() => AdvertisementParser.Parse(_frameBytes).Frames.Length;

    [Benchmark]
    public int ResolveOneSighting()
    {
        var i = _i++;
        var g = i % 3;
        _events.Clear();
        _resolver.Observe(new GatewayReading(_gateways[g], _zones[g], _rssi[i % _rssi.Length] - (g * 3), T0.AddMilliseconds(i * 67)), _events);
        return _events.Count;
    }

    [Benchmark]
    public int ResolveOneSightingCalibrated()
    {
        var i = _i++;
        var g = i % 3;
        _events.Clear();
        _calibrated.Observe(new GatewayReading(_gateways[g], _zones[g], _rssi[i % _rssi.Length] - (g * 3), T0.AddMilliseconds(i * 67)), _events);
        return _events.Count;
    }

    /// <summary>
    /// One sighting as the shopper's grain takes a batch that carries one (a phone at 1 Hz): observe, settle,
    /// and the confidence the store's offers read (the filter stepped on to the newest reading).
    /// </summary>
    [Benchmark]
    public double ResolveSettleAndConfidence()
    {
        var i = _i++;
        var g = i % 3;
        _events.Clear();
        _asTheGrainDoes.Observe(new GatewayReading(_gateways[g], _zones[g], _rssi[i % _rssi.Length] - (g * 3), T0.AddMilliseconds(i * 67)), _events);
        _asTheGrainDoes.Settle(_events);
        return _asTheGrainDoes.Confidence;
    }

    /// <summary>As <see cref="ResolveOneSighting"/>, the store's layout giving the gateways' positions.</summary>
    [Benchmark]
    public int ResolveOneSightingWithPositions()
    {
        var i = _i++;
        var g = i % 3;
        _events.Clear();
        _withPositions.Observe(new GatewayReading(_gateways[g], _zones[g], _rssi[i % _rssi.Length] - (g * 3), T0.AddMilliseconds(i * 67)), _events);
        return _events.Count;
    }

    /// <summary>As <see cref="ResolveSettleAndConfidence"/>, the store's layout giving the gateways' positions.</summary>
    [Benchmark]
    public double ResolveSettleAndConfidenceWithPositions()
    {
        var i = _i++;
        var g = i % 3;
        _events.Clear();
        _asTheGrainDoesWithPositions.Observe(new GatewayReading(_gateways[g], _zones[g], _rssi[i % _rssi.Length] - (g * 3), T0.AddMilliseconds(i * 67)), _events);
        _asTheGrainDoesWithPositions.Settle(_events);
        return _asTheGrainDoesWithPositions.Confidence;
    }

    /// <summary>As <see cref="ResolveSettleAndConfidenceWithPositions"/>, learning the shopper's device offset (off by default).</summary>
    [Benchmark]
    public double ResolveSettleAndConfidenceLearningOffset()
    {
        var i = _i++;
        var g = i % 3;
        _events.Clear();
        _asTheGrainDoesLearningOffset.Observe(new GatewayReading(_gateways[g], _zones[g], _rssi[i % _rssi.Length] - (g * 3), T0.AddMilliseconds(i * 67)), _events);
        _asTheGrainDoesLearningOffset.Settle(_events);
        return _asTheGrainDoesLearningOffset.Confidence;
    }

    /// <summary>The whole step for one sighting as it arrives in rawData form.</summary>
    [Benchmark(Baseline = true)]
    public int ParseFilterResolve()
    {
        Hex.TryDecode(Frame, out var bytes, out _);
        AdvertisementParser.TryReadIBeacon(bytes, out _, out _);
        return ResolveOneSighting();
    }
}
