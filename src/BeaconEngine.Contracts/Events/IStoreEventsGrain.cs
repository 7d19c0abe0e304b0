using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Events;

/// <summary>
/// A store's event log, its one writer: events arrive one-way from where they happen, get strictly increasing
/// offsets in the order they arrive, and are readable once stored. Key: store id.
/// </summary>
[Alias("BeaconEngine.IStoreEventsGrain")]
public interface IStoreEventsGrain : IGrainWithStringKey
{
    /// <summary>Adds an event; it is stored shortly after, with the events that arrived with it.</summary>
    [OneWay, Alias("Append")]
    Task Append(StoreEvent storeEvent);

    /// <summary>Up to <paramref name="max"/> stored events after <paramref name="after"/> (null: from the oldest kept).</summary>
    [Alias("Read")]
    Task<StoreEventPage> Read(long? after, int max);

    /// <summary>Returns the newest stored offset once it is past <paramref name="after"/>, or after <paramref name="timeout"/>.</summary>
    [AlwaysInterleave, Alias("WaitBeyond")]
    Task<long> WaitBeyond(long after, TimeSpan timeout);
}
