using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Events;

/// <summary>The stores that have a webhook, so a starting server can resume their delivery. Key: 0.</summary>
[Alias("BeaconEngine.IStoreWebhookRegistryGrain")]
public interface IStoreWebhookRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(string storeId);

    [Alias("Remove")]
    Task Remove(string storeId);

    [ReadOnly, Alias("List")]
    Task<string[]> List();
}
