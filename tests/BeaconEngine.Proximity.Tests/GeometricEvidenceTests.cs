using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Tests;

/// <summary>
/// The uncalibrated zone model with gateway positions: each zone weighed by the path loss from every gateway
/// to the best-fitting point of its region; without positions the lead rule, exactly as before.
/// </summary>
public sealed class GeometricEvidenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    // Three aisles in a row, 6 m apart, a gateway in the middle of each; a fourth gateway hangs over aisle 2's far end.
    private static StoreGeometry Row => ThreeAisles.Row;

    private static ZoneGraph Graph => ThreeAisles.Graph;

    [Fact]
    public void Each_gateways_cell_holds_the_points_nearest_to_it_and_a_gateway_without_a_position_gives_no_regions()
    {
        var regions = ZoneRegions.From(Row)!;

        Assert.NotNull(regions);
        foreach (var gateway in Row.Gateways)
        {
            var points = regions.Points(gateway.ZoneId);
            Assert.NotEmpty(points);
            Assert.All(points, p => Assert.Equal(gateway.GatewayId, Row.Gateways.MinBy(g => Distance(g.Position!.Value, p))!.GatewayId));
        }

        // The row's ends reach beyond the end gateways by half their spacing (3 m), not further.
        var all = Row.Zones.SelectMany(z => regions.Points(z.ZoneId)).ToList();
        Assert.InRange(all.Min(p => p.X), 0, 1);
        Assert.InRange(all.Max(p => p.X), 17, 18);

        Assert.Null(ZoneRegions.From(Row with { Gateways = [.. Row.Gateways.Take(2), new GatewayPlacement("gw-3", "aisle-3")] }));
    }

    [Fact]
    public void A_zone_outline_when_given_is_the_zones_region()
    {
        var shaped = Row with
        {
            Zones = [new ZoneShape("aisle-1", ["aisle-2"], [new(0, 0), new(4, 0), new(4, 12), new(0, 12)]), .. Row.Zones.Skip(1)],
        };

        var points = ZoneRegions.From(shaped)!.Points("aisle-1");

        Assert.InRange(points.Count, 8, 32);
        Assert.All(points, p => Assert.True(p.X is > 0 and < 4 && p.Y is > 0 and < 12, $"{p} is outside the outline"));
    }

    [Fact]
    public void A_phone_near_a_gateway_is_placed_in_its_zone_and_followed_to_the_next_aisle()
    {
        var resolver = new ZoneResolver(new ZoneResolverOptions(), new ZoneModel(Graph, null, Row));
        var events = new List<ProximityEvent>();

        // A phone 6 dB louder than the model's reference: the offset is fitted, the pattern decides.
        Walk(resolver, events, from: 0, to: 10, at: new StorePoint(3.5, 5), louderDb: 6);
        Assert.Equal("aisle-1", resolver.CurrentZoneId);
        Assert.True(resolver.ProbabilityOf("aisle-1") > 0.6, $"aisle-1 at {resolver.ProbabilityOf("aisle-1"):P0}");

        Walk(resolver, events, from: 10, to: 20, at: new StorePoint(8.5, 7), louderDb: 6);
        Assert.Equal("aisle-2", resolver.CurrentZoneId);
        Assert.Equal(
            [(ProximityEventKind.Entered, "aisle-1"), (ProximityEventKind.Exited, "aisle-1"), (ProximityEventKind.Entered, "aisle-2")],
            events.Where(e => e.Kind != ProximityEventKind.Dwell).Select(e => (e.Kind, e.ZoneId)));
    }

    [Fact]
    public void A_phone_that_transmits_louder_or_softer_fits_the_same_zones()
    {
        // Phones differ by 10 dB and more; the model fits each phone's offset, so the pattern across gateways decides.
        var model = new ZoneModel(Graph, null, Row);
        var at = new StorePoint(10, 7);
        var reference = Weigh(model, Levels(at, louderDb: 0), "aisle-2");

        Assert.True(reference > 0.6, $"aisle-2 at {reference:P0}");
        Assert.Equal(reference, Weigh(model, Levels(at, louderDb: 12), "aisle-2"), 3);
        Assert.Equal(reference, Weigh(model, Levels(at, louderDb: -8), "aisle-2"), 3);
    }

    [Fact]
    public void Without_positions_or_with_a_gateway_the_layout_does_not_place_the_lead_rule_places_exactly_as_before()
    {
        var partial = Row with { Gateways = [.. Row.Gateways.Take(2), new GatewayPlacement("gw-3", "aisle-3")] };
        var reference = Replay(new ZoneModel(Graph), new ZoneResolverOptions());

        Assert.Equal(reference, Replay(new ZoneModel(Graph, null, partial), new ZoneResolverOptions()));
        Assert.Equal(reference, Replay(new ZoneModel(Graph, null, Row), new ZoneResolverOptions { GeometryWeight = 0 }));
        Assert.NotEqual(reference, Replay(new ZoneModel(Graph, null, Row), new ZoneResolverOptions()));
    }

    /// <summary>A noisy walk along the row and back, as a trail of (kind, zone, ms) with confidences.</summary>
    private static List<(ProximityEventKind, string, long, double)> Replay(ZoneModel model, ZoneResolverOptions options)
    {
        var resolver = new ZoneResolver(options, model);
        var events = new List<ProximityEvent>();
        var random = new Random(7);
        for (var t = 0.0; t < 120; t += 0.2)
        {
            var x = 3 + (12 * Math.Abs(Math.Sin(t / 40 * Math.PI)));
            foreach (var (gateway, level) in Levels(new StorePoint(x, 6 + Math.Sin(t)), louderDb: 3))
            {
                resolver.Observe(new GatewayReading(gateway.GatewayId, gateway.ZoneId, Math.Round(level + (random.NextDouble() * 8) - 4), T0.AddSeconds(t)), events);
            }
        }

        resolver.Settle(events);
        return [.. events.Select(e => (e.Kind, e.ZoneId, e.At.ToUnixTimeMilliseconds(), Math.Round(e.Confidence, 6)))];
    }

    /// <summary>The zone's probability after ten seconds of steady levels.</summary>
    private static double Weigh(ZoneModel model, List<(GatewayPlacement Gateway, double Level)> levels, string zoneId)
    {
        var resolver = new ZoneResolver(new ZoneResolverOptions(), model);
        var events = new List<ProximityEvent>();
        for (var t = 0.0; t < 10; t += 0.2)
        {
            foreach (var (gateway, level) in levels)
            {
                resolver.Observe(new GatewayReading(gateway.GatewayId, gateway.ZoneId, level, T0.AddSeconds(t)), events);
            }
        }

        resolver.Settle(events);
        return resolver.ProbabilityOf(zoneId);
    }

    private static void Walk(ZoneResolver resolver, List<ProximityEvent> events, double from, double to, StorePoint at, double louderDb)
    {
        for (var t = from; t < to - 1e-9; t += 0.2)
        {
            foreach (var (gateway, level) in Levels(at, louderDb))
            {
                resolver.Observe(new GatewayReading(gateway.GatewayId, gateway.ZoneId, level, T0.AddSeconds(t)), events);
            }
        }

        resolver.Settle(events);
    }

    /// <summary>What each gateway hears of a phone at <paramref name="at"/>: -59 dBm at 1 m, path-loss exponent 2.7, gateways 1.5 m above.</summary>
    private static List<(GatewayPlacement Gateway, double Level)> Levels(StorePoint at, double louderDb) =>
        [.. Row.Gateways.Select(g => (g, -59 + louderDb - (27 * Math.Log10(Math.Sqrt(Math.Pow(Distance(g.Position!.Value, at), 2) + 2.25)))))];

    private static double Distance(StorePoint a, StorePoint b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
}
