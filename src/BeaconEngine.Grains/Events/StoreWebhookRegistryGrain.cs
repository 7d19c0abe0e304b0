using BeaconEngine.Contracts.Events;

namespace BeaconEngine.Grains.Events;

internal sealed class StoreWebhookRegistryGrain(
    [PersistentState("webhooks", StorageNames.State)] IPersistentState<StoreWebhookRegistryState> state) : Grain, IStoreWebhookRegistryGrain
{
    public async Task Add(string storeId)
    {
        if (state.State.StoreIds.Add(storeId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task Remove(string storeId)
    {
        if (state.State.StoreIds.Remove(storeId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<string[]> List() => Task.FromResult(state.State.StoreIds.ToArray());
}
