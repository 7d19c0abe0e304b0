using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Policy;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// A shopper while they are in the store: their <see cref="Presence"/> (resolver, trail, visits) and their
/// <see cref="CouponIssuer"/>, and what one call's sightings, silence or region exit lead to: the zone events
/// decided on (the wallet stored and the coupon pushed after it), the presence row stored off the coupon's path,
/// and the store's live view and zone analytics told. The grain makes one at the shopper's first sighting and
/// lets it go once they have left (a region exit, or silence once every gateway is forgotten), so an idle
/// activation keeps no resolver, filters or issuer (a budget found spent is learnt again by trying). A visit
/// made after a region exit is given its moment, so a late backlog from before it is refused as before.
/// </summary>
internal sealed class ShopperVisit(string shopperId, IShopperRows rows, ShopperPorts ports, DateTimeOffset? leftStoreAt = null)
{
    private readonly Presence _presence = new(
        ports.Resolvers, ports.Issuing.Options.MaxTrailEntries, rows.Presence.LastSeenAt, Presence.LastStayStart(rows.Presence), leftStoreAt);

    private readonly CouponIssuer _issuer = new(ports.Issuing);

    /// <summary>The zone the shopper is in, or null.</summary>
    public string? CurrentZoneId => _presence.CurrentZoneId;

    /// <summary>The visit's issuer, which knows the budgets it found spent (for explaining a decision).</summary>
    public CouponIssuer Issuer => _issuer;

    /// <summary>The coupon whose wallet write has not finished yet (the offer may ask).</summary>
    public string? Writing => _issuer.Writing;

    /// <summary>One call's sightings, in event-time order: placed, decided on and told.</summary>
    public async Task RecordAsync(StoreView view, Sighting[] sightings, long? received)
    {
        var events = EventBuffers.Rent();
        try
        {
            var state = rows.Presence;
            var visits = state.VisitCount;
            var moved = _presence.Observe(state, view, sightings, events, ports.Time.GetUtcNow());
            if (state.VisitCount > visits)
            {
                ports.Results.Visited(view.StoreId, shopperId, GlobalControl.Contains(view.GlobalControlShare, rows.Shopper.ShopperKey));
            }

            await ActAsync(view, events, moved, received);
            ReportZone(view.StoreId);
        }
        finally
        {
            EventBuffers.Return(events);
        }
    }

    /// <summary>Asked by the node's silence watch: a shopper silent for <paramref name="silence"/> who left the store is exited.</summary>
    public Task CheckSilenceAsync(string storeId, TimeSpan silence) => MoveOnAsync(storeId, silence, leftAt: null);

    /// <summary>The phone's region exit at <paramref name="at"/>: out of the zone at once (exit offers may answer it).</summary>
    public Task LeaveStoreAsync(string storeId, DateTimeOffset at) => MoveOnAsync(storeId, TimeSpan.Zero, at);

    /// <summary>In no zone and every gateway forgotten: the visit may be let go, as a new one would be the same.</summary>
    public bool IsIdle => _presence.IsIdle;

    /// <summary>No longer located (consent withdrawn): the trail is forgotten, and the live view hears the shopper is in no zone.</summary>
    public void Forget(string storeId)
    {
        _presence.Forget(rows.Presence);
        ReportZone(storeId);
    }

    private async Task MoveOnAsync(string storeId, TimeSpan silence, DateTimeOffset? leftAt)
    {
        var events = EventBuffers.Rent();
        try
        {
            var moved = leftAt is { } at
                ? _presence.LeaveStore(rows.Presence, at, events)
                : _presence.AdvanceAfterSilence(rows.Presence, ports.Time.GetUtcNow(), silence, events);
            if (moved)
            {
                await ActAsync(await ports.Stores.GetAsync(storeId), events, moved: true, received: null);
            }

            ReportZone(storeId);
        }
        finally
        {
            EventBuffers.Return(events);
        }
    }

    /// <summary>
    /// Acts on one call's zone events: the issuer decides, stores the wallet and pushes a coupon after it; the
    /// decision's event is sent to the store's log and the presence row stored last, off the coupon's path.
    /// </summary>
    private async Task ActAsync(StoreView? view, List<ProximityEvent> events, bool moved, long? received)
    {
        if (view is not null && _presence.Resolver is { } resolver)
        {
            await _issuer.IssueAsync(shopperId, view, resolver, events, rows.Shopper, rows.Presence, rows.StoreShopperAsync, received);

            // The decision's event was stored with the wallet; it goes to the store's log after the push, not awaited.
            rows.SendStoreEvents();
        }

        if (moved)
        {
            await rows.StorePresenceAsync();
        }
    }

    /// <summary>Tells the store's live view which zone the shopper is in, and the zone analytics their stays, when it changed.</summary>
    private void ReportZone(string storeId)
    {
        if (_presence.TakeZoneChange() is (true, var zoneId))
        {
            ports.Results.ZoneChanged(storeId, shopperId, zoneId);
            ports.Results.ZoneStays(storeId, shopperId, _presence.TakeStays(rows.Presence));
        }
    }
}
