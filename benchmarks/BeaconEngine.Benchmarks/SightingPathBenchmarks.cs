using BenchmarkDotNet.Attributes;
using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Benchmarks;

/// <summary>
/// Per-sighting cost of the proximity step: decode the gateway's hex, read the iBeacon, feed the zone
/// resolver (3 gateways hearing one shopper at 5 Hz each, with jitter).
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
    private byte[] _frameBytes = null!;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        _resolver = new ZoneResolver(new ZoneResolverOptions());
        Hex.TryDecode(Frame, out _frameBytes, out _);
        for (var i = 0; i < 100; i++)
        {
            ResolveOneSighting();
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

    /// <summary>The whole step for one sighting as it arrives in rawData form.</summary>
    [Benchmark(Baseline = true)]
    public int ParseFilterResolve()
    {
        Hex.TryDecode(Frame, out var bytes, out _);
        AdvertisementParser.TryReadIBeacon(bytes, out _, out _);
        return ResolveOneSighting();
    }
}
