using BenchmarkDotNet.Attributes;
using BeaconEngine.Proximity.Rotation;

namespace BeaconEngine.Benchmarks;

/// <summary>
/// Per-sighting cost of resolving a rotating identity with 100,000 shoppers in a store: a batch of 1,000 heard
/// identities (live ones, with phones' clocks up to a period off, and strangers) resolved under one lock, as the
/// ingestion path does. The tables of the periods are built in the setup, as they are after the first batch.
/// </summary>
[MemoryDiagnoser]
public class RotationBenchmarks
{
    private const int Batch = 1_000;
    private static readonly Guid Store = Guid.Parse("f7826da6-4fa2-4e98-8024-bc5b71e0893e");
    private readonly HeardRotation[] _live = new HeardRotation[Batch];
    private readonly HeardRotation[] _strangers = new HeardRotation[Batch];
    private readonly RotationMatch[] _results = new RotationMatch[Batch];
    private RotationTables _tables = null!;

    [Params(100_000)]
    public int Shoppers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(21);
        _tables = new RotationTables(Store, RotatingIdentity.DefaultPeriodSeconds);
        var secrets = new byte[Shoppers][];
        for (var i = 0; i < Shoppers; i++)
        {
            secrets[i] = new byte[RotatingIdentity.SecretBytes];
            random.NextBytes(secrets[i]);
            _tables.Add($"shp-{i}", secrets[i]);
        }

        var at = new DateTimeOffset(2026, 12, 3, 14, 5, 0, TimeSpan.Zero);
        var period = RotatingIdentity.PeriodOf(at, RotatingIdentity.DefaultPeriodSeconds);
        for (var i = 0; i < Batch; i++)
        {
            var identity = RotatingIdentity.Derive(secrets[random.Next(Shoppers)], Store, period + random.Next(-1, 2));
            _live[i] = HeardRotation.IBeacon(identity.Major, identity.Minor, at);
            _strangers[i] = HeardRotation.IBeacon((ushort)random.Next(RotatingIdentity.FirstMajor, ushort.MaxValue), (ushort)random.Next(1, ushort.MaxValue), at);
        }

        // Builds every table the sightings need (the tolerance and the replay window), as the first batch would.
        _tables.ResolveAll(_live, _results);
        _tables.ResolveAll(_strangers, _results);
    }

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public void ResolveLive() => _tables.ResolveAll(_live, _results);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void ResolveStrangers() => _tables.ResolveAll(_strangers, _results);
}
