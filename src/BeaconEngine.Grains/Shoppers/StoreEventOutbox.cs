using BeaconEngine.Grains.Events;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// Sends the shopper's store events (kept in <see cref="ShopperState.StoreEvents"/>, stored with the facts they
/// describe) to their store's log, oldest first, and lets them go once the log has stored them. Only events known to
/// be stored with the record are sent (<see cref="RecordStored"/>), so the log never shows a fact whose write failed.
/// One send runs at a time, off the caller's path; what cannot be sent now stays for the next try. A crash after
/// the log stored them but before the record was stored again sends them again: the log shows their ids once.
/// </summary>
internal sealed partial class StoreEventOutbox(IStoreEventLogs logs, ILogger logger)
{
    /// <summary>Events in one call to the log at most.</summary>
    public const int MaxBatch = 100;

    // How many events at the head of the outbox are known to be stored with the shopper's record.
    private int _stored;
    private Task<bool>? _sending;

    /// <summary>Whether events were sent (and let go) since the record was last stored.</summary>
    public bool SentSinceStored { get; set; }

    /// <summary>Whether stored events wait to be sent.</summary>
    public bool HasStored => _stored > 0;

    /// <summary>The send in flight, if any.</summary>
    public Task? Sending => _sending is { IsCompleted: false } sending ? sending : null;

    /// <summary>The shopper's record was stored (or read): every event it holds now is durable and may be sent.</summary>
    public void RecordStored(ShopperState state)
    {
        _stored = state.StoreEvents().Count;
        SentSinceStored = false;
    }

    /// <summary>Sends the stored events to store <paramref name="storeId"/>'s log; true when none is left to send.</summary>
    public Task<bool> SendAsync(string storeId, ShopperState state) =>
        Sending is Task<bool> running ? running : _sending = SendAllAsync(storeId, state);

    private async Task<bool> SendAllAsync(string storeId, ShopperState state)
    {
        // Events stored while a batch is on its way are taken by the next round of this loop.
        while (_stored > 0)
        {
            var batch = new Contracts.Events.StoreEvent[Math.Min(Math.Min(_stored, MaxBatch), state.StoreEvents().Count)];
            if (batch.Length == 0)
            {
                // The record was replaced (erased) meanwhile: nothing of it is left to send.
                _stored = 0;
                break;
            }

            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = state.StoreEvents()[i];
            }

            try
            {
                await logs.StoreAsync(storeId, batch);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogNotStored(logger, ex, batch.Length, storeId);
                return false;
            }

            state.StoreEventsSent(batch.Length);
            _stored = Math.Max(0, _stored - batch.Length);
            SentSinceStored = true;
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events could not be stored in the log of store {StoreId}; they stay in the shopper's outbox")]
    private static partial void LogNotStored(ILogger logger, Exception ex, int count, string storeId);
}
