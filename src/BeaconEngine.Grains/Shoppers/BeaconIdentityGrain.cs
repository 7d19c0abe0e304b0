using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Access;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>Which shopper holds a beacon identity. The server caches answers, so a short life suffices.</summary>
[CollectionAgeLimit(Minutes = 5)]
internal sealed class BeaconIdentityGrain(
    [PersistentState("identity", StorageNames.State)] IPersistentState<BeaconIdentityState> state) : Grain, IBeaconIdentityGrain
{
    private IGrainTimer? _retirement;

    public async Task Assign(string shopperId)
    {
        state.State.ShopperId = shopperId;
        await state.WriteStateAsync();
    }

    public Task<string?> GetShopperId()
    {
        // An identity no shopper holds (a stranger's phone, a guess) leaves no activation behind.
        if (state.State.ShopperId is null)
        {
            _retirement ??= UnheldRetirement.Schedule(this, DeactivateOnIdle);
        }

        return Task.FromResult(state.State.ShopperId);
    }

    public async Task Release()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
