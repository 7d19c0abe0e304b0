using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Events;

/// <summary>
/// A store's webhook: posts the store's events in order, signed, and moves on only when the receiver answered
/// 2xx; the acknowledged offset is stored, so delivery resumes there after a restart. Key: store id.
/// </summary>
[Alias("BeaconEngine.IStoreWebhookGrain")]
public interface IStoreWebhookGrain : IGrainWithStringKey
{
    /// <summary>Registers or replaces the webhook.</summary>
    [Alias("Put")]
    Task<StoreWebhookStatus> Put(StoreWebhookSettings settings);

    [AlwaysInterleave, Alias("Get")]
    Task<StoreWebhookStatus?> Get();

    /// <summary>False when there was none.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>Starts delivering (after a restart) if a webhook is registered.</summary>
    [Alias("Wake")]
    Task Wake();
}

/// <summary>
/// <paramref name="After"/>: the offset to deliver after; null keeps the acknowledged offset of a webhook
/// already registered, or starts a new one after the newest event stored.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreWebhookSettings")]
public sealed record StoreWebhookSettings(
    [property: Id(0)] Uri Url,
    [property: Id(1)] string Secret,
    [property: Id(2)] long? After);

/// <summary>A webhook and how its delivery goes. The secret is not part of it.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreWebhookStatus")]
public sealed record StoreWebhookStatus(
    [property: Id(0)] Uri Url,
    [property: Id(1)] long AcknowledgedOffset,
    [property: Id(2)] int FailedAttempts,
    [property: Id(3)] string? LastError,
    [property: Id(4)] DateTimeOffset? NextAttemptAt,
    [property: Id(5)] DateTimeOffset? LastDeliveredAt);
