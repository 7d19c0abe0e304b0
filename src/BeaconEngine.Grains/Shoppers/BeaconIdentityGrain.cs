using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Access;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// Which shopper holds a beacon identity. The nodes cache the answer for minutes (it changes only at erasure),
/// so the grain goes once it has answered: a live shopper keeps no identity activation beside its own.
/// </summary>
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
        // An identity no shopper holds (a stranger's phone, a guess) leaves no activation behind, and a held one
        // need not stay either: the nodes that asked keep the answer, and ask again only when it runs out.
        _retirement ??= UnheldRetirement.Schedule(this, DeactivateOnIdle);

        return Task.FromResult(state.State.ShopperId);
    }

    public async Task Release()
    {
        if (state.State.BeaconHolder is not null)
        {
            // A shopper's erasure must not free a beacon's hold (they never share one, but be sure).
            state.State.ShopperId = null;
            await state.WriteStateAsync();
            return;
        }

        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public async Task<string?> HoldForBeacon(string holder)
    {
        if (state.State.ShopperId is not null)
        {
            return "a shopper";
        }

        if (state.State.BeaconHolder is { } current && current != holder)
        {
            return $"beacon '{current}'";
        }

        state.State.BeaconHolder = holder;
        await state.WriteStateAsync();
        return null;
    }

    public async Task ReleaseBeacon(string holder)
    {
        if (state.State.BeaconHolder == holder)
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
    }

    public Task<string?> GetBeaconHolder() => Task.FromResult(state.State.BeaconHolder);
}
