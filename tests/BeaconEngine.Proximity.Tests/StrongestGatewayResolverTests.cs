using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Tests;

public sealed class StrongestGatewayResolverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly StrongestGatewayResolver _resolver = new(new ZoneResolverOptions());
    private readonly List<ZoneTransition> _transitions = [];

    [Fact]
    public void Three_strong_sightings_within_three_seconds_place_the_shopper_at_the_last_of_them()
    {
        See("gw-a", "aisle-1", -65, 0);
        See("gw-a", "aisle-1", -60, 1);
        Assert.Empty(_transitions);

        See("gw-a", "aisle-1", -62, 2.5);

        var t = Assert.Single(_transitions);
        Assert.Equal((null, "aisle-1", T0.AddSeconds(2.5)), (t.FromZoneId, t.ToZoneId, t.At));
        Assert.Equal("aisle-1", _resolver.CurrentZoneId);
        Assert.Equal(T0.AddSeconds(2.5), _resolver.EnteredAt);
    }

    [Fact]
    public void Sightings_spread_over_more_than_three_seconds_or_weaker_than_minus_70_do_not_place()
    {
        See("gw-a", "aisle-1", -60, 0);
        See("gw-a", "aisle-1", -60, 2);
        See("gw-a", "aisle-1", -75, 2.5);
        See("gw-a", "aisle-1", -60, 4);
        Assert.Empty(_transitions);
    }

    [Fact]
    public void Jitter_of_a_few_db_between_two_gateways_does_not_flap()
    {
        var jitter = new[] { 0, 4, -3, 5, -5, 2, -4, 3, 0, -2 };
        for (var i = 0; i < 30; i++)
        {
            See("gw-a", "aisle-1", -60 + jitter[i % jitter.Length], i * 0.5);
            See("gw-b", "aisle-2", -63 + jitter[(i + 3) % jitter.Length], (i * 0.5) + 0.1);
        }

        var t = Assert.Single(_transitions);
        Assert.Equal("aisle-1", t.ToZoneId);
    }

    [Fact]
    public void A_clearly_stronger_zone_takes_over_and_silence_exits_at_the_last_sighting()
    {
        for (var i = 0; i < 4; i++)
        {
            See("gw-a", "aisle-1", -60, i * 0.5);
        }

        for (var i = 0; i < 6; i++)
        {
            See("gw-a", "aisle-1", -72, 3 + (i * 0.5));
            See("gw-b", "aisle-2", -55, 3.1 + (i * 0.5));
        }

        Assert.Equal(["aisle-1", "aisle-2"], _transitions.Select(t => t.ToZoneId));
        var lastHeard = T0.AddSeconds(3.1 + 2.5);

        _resolver.Advance(lastHeard.AddSeconds(9), _transitions);
        Assert.Equal("aisle-2", _resolver.CurrentZoneId);

        _resolver.Advance(lastHeard.AddSeconds(11), _transitions);
        var exit = _transitions[^1];
        Assert.Equal(("aisle-2", (string?)null, lastHeard), (exit.FromZoneId, exit.ToZoneId, exit.At));
        Assert.Null(_resolver.CurrentZoneId);
    }

    private void See(string gateway, string zone, double rssi, double seconds) =>
        _resolver.Observe(new GatewayReading(gateway, zone, rssi, T0.AddSeconds(seconds)), _transitions);
}
