using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// Once a shopper's visit has ended, their grain lets the presence row go (it is most of what an idle shopper holds)
/// and reads it again when asked: what the visit changed is stored first, and the trail, the visits and a next visit
/// go on from the stored row exactly as from the held one.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PresenceLetGoTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_shopper_who_left_the_store_has_the_row_stored_with_the_last_sighting_and_read_again_when_asked()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        var shopper = await store.ShopperAsync();
        await shopper.RecordSightings(store.Approach());
        var placedAt = cluster.Clock.GetUtcNow();

        // Two seconds on, more of the same zone: the latest sighting's time changes, and is not stored yet.
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        var again = store.Approach();
        await shopper.RecordSightings(again);
        Assert.Equal(placedAt, (await StoredAsync(shopper)).LastSeenAt);
        var held = await shopper.GetTrail();

        // The region exit ends the visit: the row is stored whole, then let go.
        var left = cluster.Clock.GetUtcNow();
        await shopper.LeaveStore(left);
        var trail = await shopper.GetTrail();
        Assert.Equal([held[0] with { ExitedAt = left }, new TrailEntry(null, left, null)], trail);
        var stored = await StoredAsync(shopper);
        Assert.Equal(again[^1].Timestamp, stored.LastSeenAt);
        Assert.Equal(1, stored.VisitCount);
        Assert.Equal(trail, stored.Trail);

        // Let go: the next read of the trail goes to storage (a failing read fails it), and the one after reads it back.
        await cluster.Faults(PresenceState.Name).AddFaultOnRead(shopper.GetGrainId(), new InvalidOperationException("disk gone"));
        await Assert.ThrowsAnyAsync<Exception>(shopper.GetTrail);
        Assert.Equal(trail, await shopper.GetTrail());

        // Back within the visit's gap: the trail goes on from the stored row, and it is the same visit.
        cluster.Clock.Advance(TimeSpan.FromMinutes(5));
        await shopper.RecordSightings(store.Approach());
        var back = await shopper.GetTrail();
        Assert.Equal(3, back.Length);
        Assert.Equal(trail[0], back[0]);
        Assert.Equal(trail[1] with { ExitedAt = back[2].EnteredAt }, back[1]);
        Assert.Equal("dairy", back[^1].ZoneId);
        Assert.Equal(1, (await StoredAsync(shopper)).VisitCount);
    }

    [Fact]
    public async Task A_shopper_exited_by_silence_is_let_go_and_a_later_visit_is_counted_as_one()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        var shopper = await store.ShopperAsync();
        await shopper.RecordSightings(store.Approach());

        cluster.Clock.Advance(new ZoneResolverOptions().ExitTimeout + TimeSpan.FromSeconds(2));
        var trail = await Conditions.UntilAsync(shopper.GetTrail, t => t.Length == 2, "the silence exit");
        Assert.Equal(trail, (await StoredAsync(shopper)).Trail);

        await cluster.Faults(PresenceState.Name).AddFaultOnRead(shopper.GetGrainId(), new InvalidOperationException("disk gone"));
        await Assert.ThrowsAnyAsync<Exception>(shopper.GetTrail);
        Assert.Equal(trail, await shopper.GetTrail());

        // A new visit after the gap: read again, counted as the second.
        cluster.Clock.Advance(Presence.NewVisitAfter + TimeSpan.FromMinutes(1));
        await shopper.RecordSightings(store.Approach());
        Assert.Equal(3, (await shopper.GetTrail()).Length);
        Assert.Equal(2, (await StoredAsync(shopper)).VisitCount);
    }

    private async Task<PresenceState> StoredAsync(IShopperGrain shopper)
    {
        var row = new Orleans.GrainState<PresenceState>();
        await cluster.Storage.ReadStateAsync(PresenceState.Name, shopper.GetGrainId(), row);
        return row.State!;
    }
}
