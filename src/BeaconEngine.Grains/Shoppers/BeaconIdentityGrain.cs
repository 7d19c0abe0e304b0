using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Shoppers;

internal sealed class BeaconIdentityGrain(
    [PersistentState("identity", StorageNames.State)] IPersistentState<BeaconIdentityState> state) : Grain, IBeaconIdentityGrain
{
    public async Task Assign(string shopperId)
    {
        state.State.ShopperId = shopperId;
        await state.WriteStateAsync();
    }

    public Task<string?> GetShopperId() => Task.FromResult(state.State.ShopperId);

    public async Task Release()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
