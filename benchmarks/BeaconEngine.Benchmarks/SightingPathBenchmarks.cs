using BenchmarkDotNet.Attributes;
using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Benchmarks;

/// <summary>Per-sighting cost of the proximity step: decode the gateway's hex, read the iBeacon, feed the zone resolver.</summary>
[MemoryDiagnoser]
public class SightingPathBenchmarks
{
    private const string Frame = "0201061AFF4C000215F7826DA64FA24E988024BC5B71E0893E04D2162EC5";
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly List<ZoneTransition> _transitions = new(4);
    private readonly double[] _rssi = [-61, -58, -66, -60, -63, -57, -64, -59];
    private readonly string[] _gateways = ["gw-1", "gw-2", "gw-3"];
    private readonly string[] _zones = ["aisle-1", "aisle-2", "aisle-3"];
    private StrongestGatewayResolver _resolver = null!;
    private byte[] _frameBytes = null!;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        _resolver = new StrongestGatewayResolver(new ZoneResolverOptions());
        Hex.TryDecode(Frame, out _frameBytes, out _);
    }

    [Benchmark]
    public bool ParseHexAndIBeacon()
    {
        Hex.TryDecode(Frame, out var bytes, out _);
        return AdvertisementParser.TryReadIBeacon(bytes, out _, out _) == AdvertisementResult.Ok;
    }

    [Benchmark]
    public bool ParseIBeaconFromBytes() => AdvertisementParser.TryReadIBeacon(_frameBytes, out _, out _) == AdvertisementResult.Ok;

    /// <summary>Three gateways hearing one shopper at 5 Hz each, with jitter.</summary>
    [Benchmark]
    public int ResolveOneSighting()
    {
        var i = _i++;
        var g = i % 3;
        _transitions.Clear();
        _resolver.Observe(new GatewayReading(_gateways[g], _zones[g], _rssi[i % _rssi.Length] - (g * 3), T0.AddMilliseconds(i * 67)), _transitions);
        return _transitions.Count;
    }
}
