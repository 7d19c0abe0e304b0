using BeaconEngine.Contracts.Events;

namespace BeaconEngine.Grains.Events;

/// <summary>The stores' logs as a shopper's outbox sends to them: returns once stored, throws if they were not.</summary>
public interface IStoreEventLogs
{
    Task StoreAsync(string storeId, StoreEvent[] events);

    /// <summary>Counts events a shopper's full outbox dropped (metric <c>beaconengine.events.outbox_dropped</c>).</summary>
    void Dropped(int count);
}
