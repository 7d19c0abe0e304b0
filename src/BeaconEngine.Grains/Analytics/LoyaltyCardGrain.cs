using BeaconEngine.Contracts.Analytics;

namespace BeaconEngine.Grains.Analytics;

[GenerateSerializer]
public sealed class LoyaltyCardState
{
    [Id(0)] public string? ShopperId { get; set; }
}

internal sealed class LoyaltyCardGrain(
    [PersistentState("loyalty", StorageNames.State)] IPersistentState<LoyaltyCardState> state) : Grain, ILoyaltyCardGrain
{
    public async Task<bool> Link(string shopperId)
    {
        if (state.State.ShopperId is { } holder)
        {
            return holder == shopperId;
        }

        state.State.ShopperId = shopperId;
        await state.WriteStateAsync();
        return true;
    }

    public async Task Unlink(string shopperId)
    {
        if (state.State.ShopperId == shopperId)
        {
            await state.ClearStateAsync();
            state.State = new LoyaltyCardState();
            DeactivateOnIdle();
        }
    }

    public Task<string?> GetShopperId() => Task.FromResult(state.State.ShopperId);
}
