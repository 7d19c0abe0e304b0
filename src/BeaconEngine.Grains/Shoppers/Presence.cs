using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// A shopper's presence in the store: the zone resolver fed with their sightings, its entries and exits
/// written into the trail, and their visits counted. Plain logic over a <see cref="PresenceState"/>; the
/// shopper's grain stores that state when a method says it changed.
/// </summary>
internal sealed class Presence(
    IZoneResolverFactory resolvers, int maxTrailEntries, DateTimeOffset? lastSeenStored, DateTimeOffset? stayToldFrom = null, DateTimeOffset? leftStoreAt = null)
{
    // After this long without a sighting, the next one starts a new visit.
    public static readonly TimeSpan NewVisitAfter = TimeSpan.FromHours(2);

    private long _resolverLayoutVersion = -1;

    // The region exit of a resolver let go of: the first one made here refuses what was heard before it, as that one would have.
    private DateTimeOffset? _leftStoreAt = leftStoreAt;

    // Wall-clock time of the last batch, and the event time the resolver had reached by then.
    private DateTimeOffset _lastBatchAt;
    private DateTimeOffset? _eventTimeAtLastBatch;
    private DateTimeOffset _lastSeenWritten = lastSeenStored ?? DateTimeOffset.MinValue;

    public IZoneResolver? Resolver { get; private set; }

    public string? CurrentZoneId => Resolver?.CurrentZoneId;

    // The zone last told to the store's live view.
    private string? _reportedZone;

    // Stays that began at or after this were not yet told to the zone analytics, or were told open. At
    // activation it is the last stay stored, which may have been closed by CloseStayLeftOpen.
    private DateTimeOffset _staysToldFrom = stayToldFrom ?? DateTimeOffset.MinValue;

    /// <summary>Whether the zone changed since it was last taken (to tell the store's live view), and the zone now.</summary>
    public (bool Changed, string? ZoneId) TakeZoneChange()
    {
        var zoneId = CurrentZoneId;
        var changed = zoneId != _reportedZone;
        _reportedZone = zoneId;
        return (changed, zoneId);
    }

    /// <summary>
    /// The zone stays the zone analytics has not heard of, or heard of while open: each with the zone the
    /// shopper was in before it in the same visit. Sending one again is harmless (a stay counts once).
    /// </summary>
    public ZoneStay[] TakeStays(PresenceState state)
    {
        var trail = state.Trail;
        List<ZoneStay>? stays = null;
        TrailEntry? previous = null;
        foreach (var entry in trail)
        {
            if (entry.ZoneId is not { } zoneId)
            {
                continue;
            }

            if (entry.EnteredAt >= _staysToldFrom)
            {
                var from = previous is { ExitedAt: { } left } && entry.EnteredAt - left <= NewVisitAfter ? previous.ZoneId : null;
                (stays ??= []).Add(new ZoneStay(zoneId, entry.EnteredAt, entry.ExitedAt, from));
            }

            previous = entry;
        }

        if (trail.Count > 0)
        {
            _staysToldFrom = trail[^1].EnteredAt;
        }

        return stays is null ? [] : [.. stays];
    }

    /// <summary>The entry time of the trail's last stay in a zone: where a new activation's <see cref="TakeStays"/> begins.</summary>
    public static DateTimeOffset? LastStayStart(PresenceState state) =>
        state.Trail.LastOrDefault(e => e.ZoneId is not null)?.EnteredAt;

    /// <summary>
    /// Feeds one call's sightings (in event-time order) through the store's resolver, collecting its zone
    /// events in <paramref name="events"/>. True when the state changed enough to be worth storing.
    /// </summary>
    public bool Observe(PresenceState state, StoreView view, ReadOnlySpan<Sighting> sightings, List<ProximityEvent> events, DateTimeOffset now)
    {
        if (Resolver is null || _resolverLayoutVersion != view.LayoutVersion)
        {
            Resolver = resolvers.Create(view);
            _resolverLayoutVersion = view.LayoutVersion;
            if (_leftStoreAt is { } left)
            {
                Resolver.LeaveStore(left, events);
                _leftStoreAt = null;
            }
        }

        foreach (var s in sightings)
        {
            Resolver.Observe(new GatewayReading(s.GatewayId, s.ZoneId, s.Rssi, s.Timestamp, s.FromPhone), events);
        }

        // A gateway's batch holds all it heard of its moments: weigh zone changes now.
        Resolver.Settle(events);
        _lastBatchAt = now;
        _eventTimeAtLastBatch = Resolver.LastEventTime;
        return CountVisit(state, sightings[^1].Timestamp) | Apply(state, events);
    }

    /// <summary>
    /// With no batch for <paramref name="silence"/> or longer, event time is taken to have moved on as far as
    /// the wall clock has, so a shopper who left the store is exited. True when the trail changed.
    /// </summary>
    public bool AdvanceAfterSilence(PresenceState state, DateTimeOffset now, TimeSpan silence, List<ProximityEvent> events)
    {
        var quiet = now - _lastBatchAt;
        if (Resolver is not { CurrentZoneId: not null } resolver || _eventTimeAtLastBatch is not { } eventTime || quiet < silence)
        {
            return false;
        }

        resolver.Advance(eventTime + quiet, events);
        return Apply(state, events);
    }

    /// <summary>The phone's region exit at <paramref name="at"/>: out of the zone at once. True when the trail changed.</summary>
    public bool LeaveStore(PresenceState state, DateTimeOffset at, List<ProximityEvent> events)
    {
        if (Resolver is not { } resolver)
        {
            return false;
        }

        resolver.LeaveStore(at, events);
        return Apply(state, events);
    }

    /// <summary>
    /// Out of every zone and every gateway forgotten (or never heard): a new resolver would be the same, so an
    /// idle activation need not keep this one.
    /// </summary>
    public bool IsIdle => Resolver is null or { CurrentZoneId: null, TrackedGateways: 0 };

    /// <summary>No longer located (consent withdrawn, erasure): the trail is forgotten and the shopper is in no zone.</summary>
    public void Forget(PresenceState state)
    {
        state.Trail.Clear();
        Resolver = null;
    }

    /// <summary>
    /// At activation: a stay left open means the resolver that held it was lost (a restart). It ended when
    /// the shopper was last seen, and a new one begins with the next sightings. True when the trail changed.
    /// </summary>
    public static bool CloseStayLeftOpen(PresenceState state)
    {
        var trail = state.Trail;
        if (trail.Count == 0 || trail[^1] is not { ZoneId: not null, ExitedAt: null } open)
        {
            return false;
        }

        // Closed explicitly (not through Open): a placement at the very last sighting still happened.
        var at = state.LastSeenAt is { } seen && seen > open.EnteredAt ? seen : open.EnteredAt;
        trail[^1] = open with { ExitedAt = at };
        trail.Add(new TrailEntry(null, at, null));
        return true;
    }

    /// <summary>Writes zone entries and exits into the trail; dwell ticks leave it as it is.</summary>
    private bool Apply(PresenceState state, List<ProximityEvent> events)
    {
        var trail = state.Trail;
        var changed = false;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case ProximityEventKind.Entered:
                    Open(trail, e.ZoneId, e.At, e.PhoneOnly);
                    changed = true;
                    break;
                case ProximityEventKind.Exited:
                    Open(trail, null, e.At);
                    changed = true;
                    break;
            }
        }

        if (trail is [.., { PhoneOnly: true, ExitedAt: null } open] && Resolver is { IsPhoneOnly: false } resolver && resolver.CurrentZoneId == open.ZoneId)
        {
            // A gateway of the zone heard the shopper after all: the stay is confirmed.
            trail[^1] = open with { PhoneOnly = false };
            changed = true;
        }

        var excess = trail.Count - maxTrailEntries;
        if (excess > 0)
        {
            trail.RemoveRange(0, excess);
        }

        return changed;
    }

    /// <summary>Closes the open stay at <paramref name="at"/> and opens one in <paramref name="zoneId"/> (null: in no zone).</summary>
    private static void Open(List<TrailEntry> trail, string? zoneId, DateTimeOffset at, bool phoneOnly = false)
    {
        if (trail.Count > 0 && trail[^1].ExitedAt is null)
        {
            if (trail[^1].EnteredAt == at && (trail[^1].ZoneId is null || zoneId is not null))
            {
                // An exit and an entry at the same moment: no stay in between. A zone stay that ends at
                // the moment it began is kept, though: the shopper was placed there (at their last
                // sighting, say) and offers may have answered it.
                trail.RemoveAt(trail.Count - 1);
            }
            else
            {
                trail[^1] = trail[^1] with { ExitedAt = at };
            }
        }

        if (trail.Count > 0 && trail[^1].ZoneId == zoneId && trail[^1].ExitedAt == at)
        {
            // Back where the previous stay was, at the moment it ended: it simply continues.
            trail[^1] = trail[^1] with { ExitedAt = null, PhoneOnly = trail[^1].PhoneOnly && phoneOnly };
            return;
        }

        if (zoneId is null && trail.Count == 0)
        {
            return;
        }

        trail.Add(new TrailEntry(zoneId, at, null, zoneId is not null && phoneOnly));
    }

    /// <summary>
    /// Counts a new visit after a long absence, and keeps the last sighting's time; it is worth a write
    /// at least once a minute of event time, so a restart neither counts the same visit twice nor loses
    /// where an open stay ended.
    /// </summary>
    private bool CountVisit(PresenceState state, DateTimeOffset at)
    {
        var newVisit = state.LastSeenAt is not { } last || at - last > NewVisitAfter;
        if (state.LastSeenAt is null || at > state.LastSeenAt)
        {
            state.LastSeenAt = at;
        }

        if (newVisit)
        {
            state.VisitCount++;
        }

        var due = at - _lastSeenWritten >= TimeSpan.FromMinutes(1);
        if (newVisit || due)
        {
            _lastSeenWritten = at;
        }

        return newVisit || due;
    }
}
