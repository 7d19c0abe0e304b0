using BenchmarkDotNet.Attributes;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Benchmarks;

/// <summary>One zone event against catalogs of growing size, offers spread over 200 zones.</summary>
[MemoryDiagnoser]
public class OfferSelectionBenchmarks
{
    private const int Zones = 200;
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly Offer?[] _buffer = new Offer?[16];
    private readonly NoHistory _history = new();
    private OfferCatalog _catalog = null!;

    [Params(100, 1_000, 10_000, 100_000)]
    public int Offers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _catalog = new OfferCatalog(Enumerable.Range(0, Offers).Select(i => new Offer
        {
            OfferId = $"off-{i}",
            BrandId = $"brand-{i % 50}",
            ZoneIds = [$"zone-{random.Next(Zones)}"],
            Discount = new Discount(DiscountKind.Percent, random.Next(5, 50)),
            MinDwell = TimeSpan.FromSeconds(random.Next(0, 60)),
            ValidFrom = Now.AddDays(-random.Next(0, 10)),
            ValidTo = Now.AddDays(random.Next(1, 10)),
        }));
    }

    [Benchmark]
    public int SelectEligible() =>
        new BasicOfferSelector().SelectEligible(_catalog, new ZoneEvent("zone-17", TimeSpan.FromSeconds(30), Now), _history, _buffer);

    private sealed class NoHistory : IShopperHistory
    {
        public bool AcceptsOffers => true;

        public int CouponsReceived(string offerId) => 0;
    }
}
