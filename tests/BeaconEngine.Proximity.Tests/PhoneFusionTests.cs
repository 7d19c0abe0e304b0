using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Tests;

/// <summary>Store beacons a phone hears are pseudo-tracks in the same zone model as gateways hearing the phone.</summary>
public sealed class PhoneFusionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly List<ProximityEvent> _events = [];
    private readonly ZoneResolver _resolver = new(new ZoneResolverOptions(), new ZoneGraph([("aisle-1", ["aisle-2"]), ("aisle-2", ["aisle-1"])]));

    [Fact]
    public void A_phone_ranging_a_beacon_places_the_shopper_by_the_contracts_rule_and_says_it_was_the_phone_alone()
    {
        Phone("bk-1", "aisle-1", -62, 0);
        Phone("bk-1", "aisle-1", -61, 1);
        Phone("bk-1", "aisle-1", -60, 2);

        var entered = Assert.Single(_events);
        Assert.Equal((ProximityEventKind.Entered, "aisle-1", true), (entered.Kind, entered.ZoneId, entered.PhoneOnly));
        Assert.True(_resolver.IsPhoneOnly);
    }

    [Fact]
    public void Gateway_and_phone_evidence_fuse_where_the_gateways_alone_would_mislead()
    {
        // The gateways alone: aisle-2's reads a little stronger (a body shading aisle-1's), so they would place her there.
        for (var t = 0.0; t < 10; t += 1)
        {
            Gateway("gw-2", "aisle-2", -63, t);
            Gateway("gw-1", "aisle-1", -66, t + 0.1);
            Phone("bk-1", "aisle-1", -55, t + 0.2);
            Phone("bk-2", "aisle-2", -80, t + 0.3);
        }

        _resolver.Settle(_events);
        Assert.Equal("aisle-1", _resolver.CurrentZoneId);
        Assert.False(_resolver.IsPhoneOnly);

        var gatewaysOnly = new ZoneResolver(new ZoneResolverOptions(), new ZoneGraph([("aisle-1", ["aisle-2"]), ("aisle-2", ["aisle-1"])]));
        var events = new List<ProximityEvent>();
        for (var t = 0.0; t < 10; t += 1)
        {
            gatewaysOnly.Observe(new GatewayReading("gw-2", "aisle-2", -63, T0.AddSeconds(t)), events);
            gatewaysOnly.Observe(new GatewayReading("gw-1", "aisle-1", -66, T0.AddSeconds(t + 0.1)), events);
        }

        gatewaysOnly.Settle(events);
        Assert.Equal("aisle-2", gatewaysOnly.CurrentZoneId);
    }

    [Fact]
    public void Leaving_the_store_exits_at_once_and_ignores_what_was_heard_before()
    {
        for (var t = 0.0; t < 4; t += 0.5)
        {
            Phone("bk-1", "aisle-1", -60, t);
        }

        _resolver.LeaveStore(T0.AddSeconds(5), _events);
        var exit = _events.Last();
        Assert.Equal((ProximityEventKind.Exited, "aisle-1", T0.AddSeconds(5)), (exit.Kind, exit.ZoneId, exit.At));
        Assert.Null(_resolver.CurrentZoneId);
        Assert.Equal(0, _resolver.TrackedGateways);

        // A gateway's late batch from before the exit does not bring her back; readings after it place her again.
        _events.Clear();
        Gateway("gw-1", "aisle-1", -60, 3);
        Gateway("gw-1", "aisle-1", -60, 3.5);
        Gateway("gw-1", "aisle-1", -60, 4);
        Assert.Empty(_events);
        Gateway("gw-1", "aisle-1", -60, 6);
        Gateway("gw-1", "aisle-1", -60, 6.5);
        Gateway("gw-1", "aisle-1", -60, 7);
        var entered = Assert.Single(_events);
        Assert.Equal((ProximityEventKind.Entered, false), (entered.Kind, entered.PhoneOnly));
    }

    private void Phone(string beacon, string zone, double rssi, double seconds) =>
        _resolver.Observe(new GatewayReading("beacon/" + beacon, zone, rssi, T0.AddSeconds(seconds), FromPhone: true), _events);

    private void Gateway(string gateway, string zone, double rssi, double seconds) =>
        _resolver.Observe(new GatewayReading(gateway, zone, rssi, T0.AddSeconds(seconds)), _events);
}
