using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;

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

    [Fact]
    public async Task A_log_write_that_fails_then_succeeds_loses_nothing_and_doubles_nothing()
    {
        var log = cluster.Grains.GetGrain<IStoreEventsGrain>($"store-{Guid.NewGuid():N}"[..16]);
        await log.Store([Event("a-1"), Event("b-1")]);

        // The segment's next write fails: the call throws, nothing of it is readable, and the offsets did not move.
        await cluster.Faults("eventLog-0").AddFaultOnWrite(log.GetGrainId(), new InvalidOperationException("disk full"));
        await Assert.ThrowsAnyAsync<Exception>(() => log.Store([Event("a-2"), Event("c-1")]));
        var failed = await log.Read(0, 100);
        Assert.Equal(2, failed.LastOffset);
        Assert.Equal(["a-1", "b-1"], failed.Events.Select(e => e.Id));

        // The senders send again (with what they made meanwhile, and a stored one the sender could not know was stored).
        await log.Store([Event("b-1"), Event("a-2"), Event("c-1"), Event("a-3")]);
        var page = await log.Read(0, 100);
        Assert.Equal(["a-1", "b-1", "a-2", "c-1", "a-3"], page.Events.Select(e => e.Id));
        Assert.Equal([1L, 2, 3, 4, 5], page.Events.Select(e => e.Offset));
    }

    [Fact]
    public async Task A_till_that_reports_a_purchase_again_under_its_id_gets_the_first_answer_and_it_counts_and_shows_once()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        await store.OfferAsync();
        var log = cluster.Grains.GetGrain<IStoreEventsGrain>(store.StoreId);
        var shopper = await store.ShopperAsync();
        await shopper.RecordSightings(store.Approach());
        await UntilStoredAsync(log, 1, "the coupon's event");
        cluster.Costs.Reset();

        var at = cluster.Clock.GetUtcNow();
        var first = await shopper.RecordPurchase(store.StoreId, "till-7-0042", new() { ["brand-a"] = 12.5m }, at);
        Assert.NotNull(first);
        Assert.False(first.Repeated);
        Assert.Equal("till-7-0042", first.PurchaseId);
        Assert.Single(first.CountedFor);

        // The till did not hear the answer and sends the basket again: same answer, counted once, one event.
        var again = await shopper.RecordPurchase(store.StoreId, "till-7-0042", new() { ["brand-a"] = 12.5m }, at);
        Assert.NotNull(again);
        Assert.True(again.Repeated);
        Assert.Equal((first.PurchaseId, first.Total, first.At), (again.PurchaseId, again.Total, again.At));
        Assert.Equal(1, cluster.Costs.Calls["IProgrammeGrain.Basket"]);
        Assert.Equal(1, cluster.Costs.Calls["IOfferAnalyticsGrain.RecordBasket"]);

        // A basket without an id is a new one every time.
        var other = await shopper.RecordPurchase(store.StoreId, null, new() { ["brand-a"] = 3m }, at);
        Assert.NotNull(other);
        Assert.StartsWith("pur", other.PurchaseId, StringComparison.Ordinal);

        var page = await UntilStoredAsync(log, 3, "the purchases' events");
        cluster.Clock.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        page = await log.Read(0, 100);
        var purchases = page.Events.Where(e => e.Type == StoreEventTypes.Purchase).ToList();
        Assert.Equal(["till-7-0042", other.PurchaseId], purchases.Select(e => e.PurchaseId));
        Assert.Equal(12.5m, purchases[0].Total);
        Assert.Equal(page.Events.Length, page.Events.Select(e => e.Id).Distinct().Count());

        // Let go and read back: the purchase id is remembered with the record, so a later retry still counts once.
        await cluster.DeactivateAsync(shopper);
        var later = await shopper.RecordPurchase(store.StoreId, "till-7-0042", new() { ["brand-a"] = 12.5m }, at);
        Assert.True(later!.Repeated);
        Assert.Equal(2, cluster.Costs.Calls["IProgrammeGrain.Basket"]);
    }

    [Fact]
    public void A_shoppers_outbox_holds_at_most_its_bound_and_counts_what_it_drops_and_ids_number_the_events_kept()
    {
        var state = new Shoppers.ShopperState
        {
            Profile = new ShopperProfile("s-1", "store-1", new Consent(true, true), null, new BeaconAdvertisement(Guid.NewGuid(), 1, 2), DateTimeOffset.UnixEpoch),
        };
        for (var i = 0; i < Shoppers.ShopperState.MaxPendingEvents + 7; i++)
        {
            state.RecordEvent(Event("x"));
        }

        Assert.Equal(Shoppers.ShopperState.MaxPendingEvents, state.StoreEvents().Count);
        Assert.Equal(7, state.TakeDroppedEvents());
        Assert.Equal(0, state.TakeDroppedEvents());
        Assert.Equal(state.StoreEvents().Count, state.StoreEvents().Select(e => e.Id).Distinct().Count());
        Assert.EndsWith("-1", state.StoreEvents()[0].Id, StringComparison.Ordinal);

        // Once the log has some, there is room again, and the numbers carry on.
        state.StoreEventsSent(10);
        state.RecordEvent(Event("y"));
        Assert.Equal(Shoppers.ShopperState.MaxPendingEvents - 9, state.StoreEvents().Count);
        Assert.EndsWith($"-{Shoppers.ShopperState.MaxPendingEvents + 1}", state.StoreEvents()[^1].Id, StringComparison.Ordinal);
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
