using BeaconEngine.Contracts.Access;

namespace BeaconEngine.Grains.Access;

internal sealed class AccessKeyGrain(
    [PersistentState("key", StorageNames.State)] IPersistentState<AccessKeyState> state) : Grain, IAccessKeyGrain
{
    public async Task Issue(AccessPrincipal principal)
    {
        state.State.Principal = principal;
        await state.WriteStateAsync();
    }

    public Task<AccessPrincipal?> Get() => Task.FromResult(state.State.Principal);

    public async Task Revoke()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
