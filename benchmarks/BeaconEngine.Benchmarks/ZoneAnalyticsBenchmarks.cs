using BenchmarkDotNet.Attributes;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Grains.Analytics;

namespace BeaconEngine.Benchmarks;

/// <summary>
/// Zone analytics (issue 20): what a store-hour's grain spends per zone change (a stay told open, then told
/// closed), and what the route spends merging a week of hours (168 store-hours, six zones, 500 shoppers an hour
/// who each pass three zones) into each zone's figures and the moves.
/// </summary>
[MemoryDiagnoser]
public class ZoneAnalyticsBenchmarks
{
    private const int StaysPerInvoke = 1_000;
    private static readonly string[] Zones = ["entrance", "produce", "dairy", "snacks", "drinks", "checkout"];
    private static readonly DateTimeOffset Hour = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private ZoneStay[][] _stays = null!;
    private string[] _shoppers = null!;
    private List<ZoneHourReport> _week = null!;

    [Params(500)]
    public int ShoppersPerHour { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20);
        _shoppers = [.. Enumerable.Range(0, ShoppersPerHour).Select(i => ShopperPseudonym.Of($"shp-{i}"))];
        _stays = [.. Enumerable.Range(0, StaysPerInvoke).Select(_ => Walk(random))];
        _week = [.. Enumerable.Range(0, 168).Select(_ =>
        {
            var hour = new ZoneHourState();
            foreach (var shopper in _shoppers)
            {
                hour.AddStays(shopper, Walk(random));
                hour.AddStays(shopper, [.. Walk(random).Select(s => s with { ExitedAt = s.EnteredAt.AddSeconds(random.Next(5, 300)) })]);
            }

            return hour.ToReport();
        })];
    }

    /// <summary>Per stay: a zone change tells it open, the next tells it closed (with its dwell).</summary>
    [Benchmark(OperationsPerInvoke = StaysPerInvoke)]
    public ZoneHourState RecordStays()
    {
        var hour = new ZoneHourState();
        for (var i = 0; i < StaysPerInvoke; i++)
        {
            var shopper = _shoppers[i % _shoppers.Length];
            var stay = _stays[i][0];
            hour.AddStays(shopper, [stay]);
            hour.AddStays(shopper, [stay with { ExitedAt = stay.EnteredAt.AddSeconds(40) }]);
        }

        return hour;
    }

    /// <summary>The route's merge of a week: every zone's figures and the moves.</summary>
    [Benchmark]
    public int MergeAWeek()
    {
        var figures = Zones.Select(z => ZoneFigures.Of(z, _week.SelectMany(r => r.Zones.Where(d => d.ZoneId == z)), 30, null)).ToList();
        return figures.Count + ZoneTransitionFigures.Of(_week.SelectMany(r => r.Transitions)).Length;
    }

    private static ZoneStay[] Walk(Random random)
    {
        var entered = Hour.AddSeconds(random.Next(0, 3_000));
        var path = Zones.OrderBy(_ => random.Next()).Take(3).ToArray();
        return [.. path.Select((zone, i) => new ZoneStay(zone, entered.AddSeconds(i * 120), null, i == 0 ? null : path[i - 1]))];
    }
}
