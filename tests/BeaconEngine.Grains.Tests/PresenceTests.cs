using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Tests;

/// <summary><see cref="Presence"/> without a host: placement, visits, the exit after silence, and a stay left open by a restart.</summary>
public sealed class PresenceTests
{
    private readonly PresenceState _state = new();
    private readonly List<ProximityEvent> _events = [];
    private readonly Presence _presence = PlainStore.Presence();

    [Fact]
    public void The_contracts_placement_opens_a_stay_at_the_last_sighting_and_counts_a_first_visit()
    {
        var approach = PlainStore.Approach(PlainStore.Noon);

        Assert.True(_presence.Observe(_state, PlainStore.View(), approach, _events, PlainStore.Noon));

        Assert.Equal([new TrailEntry("dairy", PlainStore.Noon, null)], _state.Trail);
        Assert.Equal("dairy", _presence.CurrentZoneId);
        Assert.Equal(1, _state.VisitCount);
        Assert.Equal(PlainStore.Noon, _state.LastSeenAt);
    }

    [Fact]
    public void A_new_visit_is_counted_only_after_two_hours_without_a_sighting()
    {
        var view = PlainStore.View();
        _presence.Observe(_state, view, PlainStore.Approach(PlainStore.Noon), _events, PlainStore.Noon);

        var sameVisit = PlainStore.Noon + Presence.NewVisitAfter;
        _presence.Observe(_state, view, [new Sighting("gw-dairy", "dairy", -60, sameVisit)], _events, sameVisit);
        Assert.Equal(1, _state.VisitCount);

        var nextVisit = sameVisit + Presence.NewVisitAfter + TimeSpan.FromMilliseconds(1);
        _presence.Observe(_state, view, [new Sighting("gw-dairy", "dairy", -60, nextVisit)], _events, nextVisit);
        Assert.Equal(2, _state.VisitCount);
    }

    [Fact]
    public void Silence_exits_the_shopper_once_the_exit_timeout_has_passed_at_the_moment_last_heard()
    {
        var view = PlainStore.View();
        _presence.Observe(_state, view, PlainStore.Approach(PlainStore.Noon), _events, PlainStore.Noon);
        var exitTimeout = new ZoneResolverOptions().ExitTimeout;

        _events.Clear();
        Assert.False(_presence.AdvanceAfterSilence(_state, PlainStore.Noon + exitTimeout - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), _events));
        Assert.Equal("dairy", _presence.CurrentZoneId);

        Assert.True(_presence.AdvanceAfterSilence(_state, PlainStore.Noon + exitTimeout + TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), _events));
        Assert.Null(_presence.CurrentZoneId);
        Assert.Equal([new TrailEntry("dairy", PlainStore.Noon, PlainStore.Noon), new TrailEntry(null, PlainStore.Noon, null)], _state.Trail);
    }

    [Fact]
    public void A_stay_left_open_by_a_restart_ends_when_the_shopper_was_last_seen()
    {
        var lastSeen = PlainStore.Noon.AddSeconds(40);
        _state.Trail.Add(new TrailEntry("dairy", PlainStore.Noon, null));
        _state.LastSeenAt = lastSeen;

        Assert.True(Presence.CloseStayLeftOpen(_state));
        Assert.Equal([new TrailEntry("dairy", PlainStore.Noon, lastSeen), new TrailEntry(null, lastSeen, null)], _state.Trail);

        // Closed already: nothing to do at the next activation.
        Assert.False(Presence.CloseStayLeftOpen(_state));
    }

    [Fact]
    public void Forgetting_clears_the_trail_and_the_zone()
    {
        _presence.Observe(_state, PlainStore.View(), PlainStore.Approach(PlainStore.Noon), _events, PlainStore.Noon);

        _presence.Forget(_state);

        Assert.Empty(_state.Trail);
        Assert.Null(_presence.CurrentZoneId);
    }
}
