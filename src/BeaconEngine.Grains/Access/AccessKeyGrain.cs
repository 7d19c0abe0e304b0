using BeaconEngine.Contracts.Access;

namespace BeaconEngine.Grains.Access;

/// <summary>An issued key's principal, keyed by the key's hash. Lookups are cached by the server, so a short life suffices.</summary>
[CollectionAgeLimit(Minutes = 5)]
internal sealed class AccessKeyGrain(
    [PersistentState("key", StorageNames.State)] IPersistentState<AccessKeyState> state) : Grain, IAccessKeyGrain
{
    private IGrainTimer? _retirement;

    public async Task Issue(AccessPrincipal principal)
    {
        state.State.Principal = principal;
        await state.WriteStateAsync();
    }

    public Task<AccessPrincipal?> Get()
    {
        // A key issued to nobody (a guess, a revoked key) leaves no activation behind to fill memory.
        if (state.State.Principal is null)
        {
            _retirement ??= UnheldRetirement.Schedule(this, DeactivateOnIdle);
        }

        return Task.FromResult(state.State.Principal);
    }

    public async Task Revoke()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
