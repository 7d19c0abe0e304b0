using BeaconEngine.Contracts.Events;

namespace BeaconEngine.Grains.Events;

/// <summary>Posts a batch of a store's events to its webhook, signed; the host implements it (HTTP).</summary>
public interface IStoreWebhookSender
{
    /// <summary>Null when the receiver answered 2xx; otherwise what went wrong.</summary>
    Task<string?> SendAsync(string storeId, Uri url, string secret, IReadOnlyList<StoreEvent> events, CancellationToken cancellation);
}
