using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Events;

/// <summary>
/// A store's event log, its one writer: events are sent from where they happen (kept there, in an outbox stored
/// with the fact, until this log has stored them), get strictly increasing offsets in the order they are stored,
/// and are readable once stored. Key: store id.
/// </summary>
[Alias("BeaconEngine.IStoreEventsGrain")]
public interface IStoreEventsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores events, in order, with those that arrive meanwhile, and returns once they are durably stored. An
    /// event whose <see cref="StoreEvent.Id"/> the log stored recently is not stored again, so a resend after a
    /// crash shows once. Throws when the store failed: nothing of the call is to be taken as stored, and the
    /// caller sends it again later.
    /// </summary>
    [AlwaysInterleave, Alias("Store")]
    Task Store(StoreEvent[] events);

    /// <summary>Up to <paramref name="max"/> stored events after <paramref name="after"/> (null: from the oldest kept).</summary>
    [Alias("Read")]
    Task<StoreEventPage> Read(long? after, int max);

    /// <summary>Returns the newest stored offset once it is past <paramref name="after"/>, or after <paramref name="timeout"/>.</summary>
    [AlwaysInterleave, Alias("WaitBeyond")]
    Task<long> WaitBeyond(long after, TimeSpan timeout);
}
