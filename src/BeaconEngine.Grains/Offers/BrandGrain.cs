using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Offers;

internal sealed class BrandGrain(
    [PersistentState("brand", StorageNames.State)] IPersistentState<BrandState> state) : Grain, IBrandGrain
{
    public async Task<bool> Register(string name)
    {
        if (state.State.Name is not null)
        {
            return false;
        }

        state.State.Name = name;
        await state.WriteStateAsync();
        return true;
    }

    public Task<bool> Exists() => Task.FromResult(state.State.Name is not null);

    public Task<string?> GetName() => Task.FromResult(state.State.Name);

    public Task<string[]> GetOfferIds() => Task.FromResult(state.State.OfferIds.ToArray());

    public Task<string[]> GetRetiredOfferIds() => Task.FromResult(state.State.RetiredOfferIds.ToArray());

    public async Task AddOffer(string offerId)
    {
        if (!state.State.OfferIds.Contains(offerId))
        {
            state.State.OfferIds.Add(offerId);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveOffer(string offerId)
    {
        if (state.State.OfferIds.Remove(offerId))
        {
            state.State.RetiredOfferIds.Add(offerId);
            await state.WriteStateAsync();
        }
    }
}
