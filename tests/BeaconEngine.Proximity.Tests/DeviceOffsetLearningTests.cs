using BeaconEngine.Proximity.Calibration;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Tests;

/// <summary>
/// <see cref="ZoneResolverOptions.DeviceOffsetLearningSeconds"/>: each shopper's device offset learnt online and each
/// moment's offset held to it. Off by default (the cross-validation did not adopt it: benchmarks/RESULTS.md,
/// 2026-12-04 afternoon); these tests keep the option honest for stores that turn it on.
/// </summary>
public sealed class DeviceOffsetLearningTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);

    // Three aisles in a row, 6 m apart, a gateway in the middle of each.
    private static StoreGeometry Row => ThreeAisles.Row;

    private static ZoneGraph Graph => ThreeAisles.Graph;

    // What a calibration walk's device read in each aisle.
    private static readonly StoreCalibration Walked = new(
        new Dictionary<string, double>(),
        [
            new ZoneFingerprint("aisle-1", new Dictionary<string, double> { ["gw-1"] = -60, ["gw-2"] = -70, ["gw-3"] = -78 }, 60),
            new ZoneFingerprint("aisle-2", new Dictionary<string, double> { ["gw-1"] = -68, ["gw-2"] = -60, ["gw-3"] = -68 }, 60),
            new ZoneFingerprint("aisle-3", new Dictionary<string, double> { ["gw-1"] = -78, ["gw-2"] = -70, ["gw-3"] = -60 }, 60),
        ]);

    [Fact]
    public void It_is_off_by_default_and_off_its_drift_changes_nothing_while_on_it_changes_the_trail()
    {
        var model = new ZoneModel(Graph, null, Row);
        var reference = Replay(model, new ZoneResolverOptions());

        Assert.Equal(0, new ZoneResolverOptions().DeviceOffsetLearningSeconds);
        Assert.Equal(reference, Replay(model, new ZoneResolverOptions { DeviceOffsetDriftDb = 1 }));
        Assert.NotEqual(reference, Replay(model, new ZoneResolverOptions { DeviceOffsetLearningSeconds = 20, DeviceOffsetDriftDb = 1 }));
    }

    [Fact]
    public void Learning_the_offset_a_louder_or_softer_phone_is_placed_as_surely_as_the_reference_phone()
    {
        // The learnt offset follows the phone, so the fit shifts with it: the same zone, about as sure. Not exactly: the
        // first seconds differ (a gateway joining starts from a faint absolute level, GatewayTrack.JoinLevel), and the
        // offset and the best-fitting point of the zone settle together, so where they settle depends a little on the start.
        var options = new ZoneResolverOptions { DeviceOffsetLearningSeconds = 5, DeviceOffsetDriftDb = 1.5 };
        var model = new ZoneModel(Graph, null, Row);
        var at = new StorePoint(10, 7);
        var reference = Weigh(model, options, Geometric(at, louderDb: 0), "aisle-2", seconds: 60);
        var louder = Weigh(model, options, Geometric(at, louderDb: 12), "aisle-2", seconds: 60);
        var softer = Weigh(model, options, Geometric(at, louderDb: -8), "aisle-2", seconds: 60);

        Assert.True(reference > 0.6, $"aisle-2 at {reference:P0}");
        Assert.InRange(louder, reference - 0.05, reference + 0.05);
        Assert.InRange(softer, reference - 0.05, reference + 0.05);
    }

    [Fact]
    public void Calibrated_a_phone_far_softer_than_the_walks_device_is_placed_as_surely_once_its_offset_is_learnt()
    {
        var model = new ZoneModel(Graph, Walked, Row);
        var learning = new ZoneResolverOptions { DeviceOffsetLearningSeconds = 10, DeviceOffsetDriftDb = 1.5 };

        // Between aisle 2's middle and aisle 1: the pattern leans to aisle 2, not by much.
        List<(string, string, double)> Levels(double softerDb) =>
            [("gw-1", "aisle-1", -64 - softerDb), ("gw-2", "aisle-2", -61 - softerDb), ("gw-3", "aisle-3", -71 - softerDb)];

        var walkDevice = Weigh(model, new ZoneResolverOptions(), Levels(0), "aisle-2", seconds: 40);
        var softOff = Weigh(model, new ZoneResolverOptions(), Levels(14), "aisle-2", seconds: 40);
        var softLearnt = Weigh(model, learning, Levels(14), "aisle-2", seconds: 40);

        // Off, the moment's offset is held near the walk's device (4 dB), so a phone 14 dB softer blurs the pattern.
        Assert.True(softOff < walkDevice - 0.02, $"soft phone {softOff:P1} against the walk's device {walkDevice:P1}");
        Assert.True(softLearnt > softOff + 0.02, $"learnt {softLearnt:P1} against {softOff:P1} without");
        Assert.True(softLearnt > 0.5, $"learnt {softLearnt:P1}");
    }

    [Fact]
    public void Out_of_range_settings_are_refused_by_name()
    {
        var learning = Assert.Throws<ArgumentOutOfRangeException>(() => new ZoneResolverOptions { DeviceOffsetLearningSeconds = -1 }.Validate());
        var drift = Assert.Throws<ArgumentOutOfRangeException>(() => new ZoneResolverOptions { DeviceOffsetDriftDb = 0 }.Validate());

        Assert.Equal(nameof(ZoneResolverOptions.DeviceOffsetLearningSeconds), learning.ParamName);
        Assert.Equal(nameof(ZoneResolverOptions.DeviceOffsetDriftDb), drift.ParamName);
    }

    /// <summary>A noisy walk along the row and back, as a trail of (kind, zone, ms) with confidences.</summary>
    private static List<(ProximityEventKind, string, long, double)> Replay(ZoneModel model, ZoneResolverOptions options)
    {
        var resolver = new ZoneResolver(options, model);
        var events = new List<ProximityEvent>();
        var random = new Random(11);
        for (var t = 0.0; t < 120; t += 0.2)
        {
            var x = 3 + (12 * Math.Abs(Math.Sin(t / 40 * Math.PI)));
            foreach (var (gateway, zone, level) in Geometric(new StorePoint(x, 6 + Math.Sin(t)), louderDb: -6))
            {
                resolver.Observe(new GatewayReading(gateway, zone, Math.Round(level + (random.NextDouble() * 8) - 4), T0.AddSeconds(t)), events);
            }
        }

        resolver.Settle(events);
        return [.. events.Select(e => (e.Kind, e.ZoneId, e.At.ToUnixTimeMilliseconds(), Math.Round(e.Confidence, 6)))];
    }

    /// <summary>The zone's probability after steady levels for so many seconds.</summary>
    private static double Weigh(ZoneModel model, ZoneResolverOptions options, List<(string Gateway, string Zone, double Level)> levels, string zoneId, double seconds)
    {
        var resolver = new ZoneResolver(options, model);
        var events = new List<ProximityEvent>();
        for (var t = 0.0; t < seconds; t += 0.2)
        {
            foreach (var (gateway, zone, level) in levels)
            {
                resolver.Observe(new GatewayReading(gateway, zone, level, T0.AddSeconds(t)), events);
            }
        }

        resolver.Settle(events);
        return resolver.ProbabilityOf(zoneId);
    }

    /// <summary>What each gateway hears of a phone at <paramref name="at"/>: -59 dBm at 1 m, path-loss exponent 2.7, gateways 1.5 m above.</summary>
    private static List<(string Gateway, string Zone, double Level)> Geometric(StorePoint at, double louderDb) =>
        [.. Row.Gateways.Select(g => (g.GatewayId, g.ZoneId, -59 + louderDb - (27 * Math.Log10(Math.Sqrt(Math.Pow(g.Position!.Value.X - at.X, 2) + Math.Pow(g.Position!.Value.Y - at.Y, 2) + 2.25)))))];
}
