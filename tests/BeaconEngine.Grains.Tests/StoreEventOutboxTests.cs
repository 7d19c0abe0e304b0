using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// The store's events at least once from the source: the log stores a resent id once (also after it was let go and
/// read back), and a shopper's event whose log write failed stays in their record and arrives later, once.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class StoreEventOutboxTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_resend_of_events_the_log_stored_shows_them_once_with_offsets_that_have_no_gap()
    {
        var log = cluster.Grains.GetGrain<IStoreEventsGrain>($"store-{Guid.NewGuid():N}"[..16]);
        StoreEvent[] first = [Event("a-1"), Event("a-2"), Event("b-1")];
        await log.Store(first);

        // The sender crashed before it recorded that the log had them: the same events again, with a new one.
        await log.Store([.. first, Event("a-3")]);
        Assert.Equal(["a-1", "a-2", "b-1", "a-3"], (await log.Read(0, 100)).Events.Select(e => e.Id));

        // The log is let go and read back: the window is read from the stored segments, so a resend still shows once.
        await cluster.DeactivateAsync(log);
        await log.Store([Event("a-2"), Event("a-3"), Event("b-2"), Event("b-2")]);

        var page = await log.Read(0, 100);
        Assert.Equal(["a-1", "a-2", "b-1", "a-3", "b-2"], page.Events.Select(e => e.Id));
        Assert.Equal([1L, 2, 3, 4, 5], page.Events.Select(e => e.Offset));
        Assert.Equal(5, page.LastOffset);
    }

    [Fact]
    public async Task A_coupon_whose_event_the_log_failed_to_store_keeps_it_in_the_shoppers_record_and_the_log_gets_it_later_once()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        await store.OfferAsync();
        var log = cluster.Grains.GetGrain<IStoreEventsGrain>(store.StoreId);
        var shopper = await store.ShopperAsync();
        cluster.Costs.Reset();

        // The log's first segment write fails: the coupon is issued and pushed all the same, and its event waits.
        await cluster.Faults("eventLog-0").AddFaultOnWrite(log.GetGrainId(), new InvalidOperationException("disk full"));
        await shopper.RecordSightings(store.Approach());
        var coupon = Assert.Single(await shopper.GetWallet());
        Assert.Single(cluster.Pushes.To(shopper.GetPrimaryKeyString()));

        // It was stored with the wallet: the shopper's record in storage holds it, with its id.
        var stored = Assert.Single(await StoredEventsOfAsync(shopper));
        Assert.Equal((StoreEventTypes.Issued, coupon.CouponId), (stored.Type, stored.CouponId));
        Assert.EndsWith("-1", stored.Id, StringComparison.Ordinal);

        // The retry timer sends it again once the silo's clock has moved on; the log then holds it once.
        var page = await UntilStoredAsync(log, 1, "the retried event to be stored");
        var issued = Assert.Single(page.Events);
        Assert.Equal((StoreEventTypes.Issued, coupon.CouponId, stored.Id, 1L), (issued.Type, issued.CouponId, issued.Id, issued.Offset));
        Assert.Equal(2, cluster.Costs.Calls["IStoreEventsGrain.Store"]);

        // Acknowledged: its event rides that write and is sent after it; the shopper is let go (storing the sent
        // outbox), read back, and sends nothing again.
        Assert.True(await shopper.Acknowledge(coupon.CouponId));
        await UntilStoredAsync(log, 2, "the delivery's event");
        await cluster.DeactivateAsync(shopper);
        Assert.Empty(await StoredEventsOfAsync(shopper));
        Assert.Equal(CouponStatus.Delivered, Assert.Single(await shopper.GetWallet()).Status);
        cluster.Clock.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.Equal([StoreEventTypes.Issued, StoreEventTypes.Delivered], (await log.Read(0, 10)).Events.Select(e => e.Type));
    }

    [Fact]
    public async Task Events_a_shopper_stored_but_never_sent_go_to_the_log_when_the_shopper_is_next_active()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        await store.OfferAsync();
        var log = cluster.Grains.GetGrain<IStoreEventsGrain>(store.StoreId);
        var shopper = await store.ShopperAsync();

        // The log's write fails; the shopper is let go before any retry: the event stays in its stored record.
        await cluster.Faults("eventLog-0").AddFaultOnWrite(log.GetGrainId(), new InvalidOperationException("disk full"));
        await shopper.RecordSightings(store.Approach());
        await cluster.DeactivateAsync(shopper);
        Assert.Single(await StoredEventsOfAsync(shopper));
        Assert.Equal(0, (await log.Read(0, 10)).LastOffset);

        // The next activation (the app asks for the wallet) sends it.
        var coupon = Assert.Single(await shopper.GetWallet());
        var page = await UntilStoredAsync(log, 1, "the event to reach the log");
        Assert.Equal(coupon.CouponId, Assert.Single(page.Events).CouponId);
    }

    /// <summary>Reads the log until its newest offset is <paramref name="last"/>, moving the silo's clock on for the shoppers' retry timers.</summary>
    private async Task<StoreEventPage> UntilStoredAsync(IStoreEventsGrain log, long last, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var page = await log.Read(0, 100);
            if (page.LastOffset >= last)
            {
                return page;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
    }

    private static StoreEvent Event(string id) => new() { Type = StoreEventTypes.Purchase, At = DateTimeOffset.UnixEpoch, Shopper = id[..1], Id = id };

    /// <summary>The store events held in the shopper's record as storage has it (not the activation's memory).</summary>
    private async Task<IReadOnlyList<StoreEvent>> StoredEventsOfAsync(IShopperGrain shopper)
    {
        var state = new GrainState<Shoppers.ShopperState>();
        await cluster.Storage.ReadStateAsync(Shoppers.ShopperState.Name, shopper.GetGrainId(), state);
        return state.State?.StoreEvents() ?? [];
    }
}
