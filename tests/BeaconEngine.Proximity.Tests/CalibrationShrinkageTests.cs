using BeaconEngine.Proximity.Calibration;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Tests;

/// <summary>
/// <see cref="ZoneResolverOptions.CalibrationPriorWeight"/>: a calibrated zone's levels shrunk towards the uncalibrated
/// prior when the model is built. Off by default (the cross-validation did not adopt it: benchmarks/RESULTS.md,
/// 2026-12-04 14:26 UTC); these tests keep the option honest for stores that turn it on.
/// </summary>
public sealed class CalibrationShrinkageTests
{
    // Three aisles in a row, 6 m apart, a gateway in the middle of each.
    private static StoreGeometry Row => ThreeAisles.Row;

    private static ZoneGraph Graph => ThreeAisles.Graph;

    // A walk whose device, in aisle 1, read the far gateway (gw-3) louder than the near one (gw-2): a reflection on that
    // route, which the path-loss prior does not expect. Aisle 3 was not walked.
    private static readonly StoreCalibration Walked = new(
        new Dictionary<string, double>(),
        [
            new ZoneFingerprint("aisle-1", new Dictionary<string, double> { ["gw-1"] = -60, ["gw-2"] = -76, ["gw-3"] = -70 }, 60),
            new ZoneFingerprint("aisle-2", new Dictionary<string, double> { ["gw-1"] = -68, ["gw-2"] = -60, ["gw-3"] = -68 }, 60),
        ]);

    private static readonly string[] Gateways = ["gw-1", "gw-2", "gw-3"];

    [Fact]
    public void It_is_off_by_default_and_off_the_walks_levels_are_used_as_they_were_measured()
    {
        var model = new ZoneModel(Graph, Walked, Row);

        Assert.Equal(0, new ZoneResolverOptions().CalibrationPriorWeight);
        Assert.Same(model.Fingerprint("aisle-1"), model.Fingerprint("aisle-1", new ZoneResolverOptions()));
        Assert.Equal(-70, model.Fingerprint("aisle-1", new ZoneResolverOptions())!.Expected("gw-3"));
    }

    [Fact]
    public void Fully_shrunk_a_zone_takes_the_priors_pattern_at_the_walks_own_level()
    {
        var model = new ZoneModel(Graph, Walked, Row);
        var prior = model.Fingerprint("aisle-1", new ZoneResolverOptions { CalibrationPriorWeight = 1 })!;

        // The prior expects the nearer gateway louder, and its own gateway loudest.
        Assert.True(prior.Expected("gw-2") > prior.Expected("gw-3"), $"gw-2 {prior.Expected("gw-2"):0.0} against gw-3 {prior.Expected("gw-3"):0.0}");
        Assert.True(prior.Expected("gw-1") > prior.Expected("gw-2"));

        // Lined up with the walk: the same mean level, so the walk's device still sets the absolute level.
        Assert.Equal(Gateways.Average(g => Walked.Zones[0].MeanRssiByGateway[g]), Gateways.Average(prior.Expected), 6);
    }

    [Fact]
    public void A_weight_between_mixes_the_walk_and_the_prior_linearly_and_settings_are_not_confused()
    {
        var model = new ZoneModel(Graph, Walked, Row);
        var full = model.Fingerprint("aisle-1", new ZoneResolverOptions { CalibrationPriorWeight = 1 })!;
        var quarter = model.Fingerprint("aisle-1", new ZoneResolverOptions { CalibrationPriorWeight = 0.25 })!;
        var fullAgain = model.Fingerprint("aisle-1", new ZoneResolverOptions { CalibrationPriorWeight = 1 })!;

        foreach (var gateway in Gateways)
        {
            var walked = Walked.Zones[0].MeanRssiByGateway[gateway];
            Assert.Equal((0.75 * walked) + (0.25 * full.Expected(gateway)), quarter.Expected(gateway), 6);
            Assert.Equal(full.Expected(gateway), fullAgain.Expected(gateway), 6);
        }

        // A gateway the walk did not hear in the zone is still expected below the weakest level.
        Assert.True(quarter.Unheard < Gateways.Min(quarter.Expected));
    }

    [Fact]
    public void Uncovered_zones_and_models_without_a_layout_are_left_as_they_were()
    {
        var options = new ZoneResolverOptions { CalibrationPriorWeight = 0.5 };
        var withLayout = new ZoneModel(Graph, Walked, Row);
        var noLayout = new ZoneModel(Graph, Walked);

        Assert.Null(withLayout.Fingerprint("aisle-3", options));
        Assert.Same(noLayout.Fingerprint("aisle-1"), noLayout.Fingerprint("aisle-1", options));
    }

    [Fact]
    public void Without_positions_the_lead_rule_is_the_prior()
    {
        var zonesOnly = new StoreGeometry(Row.Zones, [.. Row.Gateways.Select(g => g with { Position = null })]);
        var model = new ZoneModel(Graph, Walked, zonesOnly);
        var prior = model.Fingerprint("aisle-1", new ZoneResolverOptions { CalibrationPriorWeight = 1 })!;

        // Own gateway leads by ZoneLeadDb (10 dB); the others read alike.
        Assert.Equal(10, prior.Expected("gw-1") - prior.Expected("gw-2"), 6);
        Assert.Equal(prior.Expected("gw-2"), prior.Expected("gw-3"), 6);
    }

    [Fact]
    public void A_weight_outside_0_to_1_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ZoneResolverOptions { CalibrationPriorWeight = 1.5 }.Validate());
        Assert.Equal(nameof(ZoneResolverOptions.CalibrationPriorWeight), error.ParamName);
    }

    [Fact]
    public void Shrunk_levels_change_where_a_resolver_places_the_shopper()
    {
        // In aisle 1 on another route: the near gw-2 reads louder than the far gw-3, as the prior expects and the walk did not.
        var walkOnly = Weigh(new ZoneResolverOptions());
        var shrunk = Weigh(new ZoneResolverOptions { CalibrationPriorWeight = 1 });

        Assert.True(shrunk > walkOnly, $"aisle-1 {shrunk:P1} shrunk against {walkOnly:P1} on the walk's levels");
    }

    private static double Weigh(ZoneResolverOptions options)
    {
        var resolver = new ZoneResolver(options, new ZoneModel(Graph, Walked, Row));
        var events = new List<ProximityEvent>();
        var t0 = new DateTimeOffset(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);
        for (var s = 0; s < 20; s++)
        {
            var at = t0.AddSeconds(s);
            resolver.Observe(new GatewayReading("gw-1", "aisle-1", -66, at), events);
            resolver.Observe(new GatewayReading("gw-2", "aisle-2", -67, at), events);
            resolver.Observe(new GatewayReading("gw-3", "aisle-3", -78, at), events);
            resolver.Settle(events);
        }

        return resolver.ProbabilityOf("aisle-1");
    }
}
