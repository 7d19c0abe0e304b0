using BeaconEngine.Contracts.Analytics;

namespace BeaconEngine.Grains.Analytics;

[GenerateSerializer]
public sealed class ShopperExposureState
{
    [Id(0)] public List<OfferExposure> Exposures { get; set; } = [];
}

internal sealed class ShopperExposureGrain(
    [PersistentState("exposures", StorageNames.State)] IPersistentState<ShopperExposureState> state) : Grain, IShopperExposureGrain
{
    public async Task Add(OfferExposure exposure)
    {
        // One per offer: the first exposure decides the group and when it began.
        if (!state.State.Exposures.Exists(e => e.OfferId == exposure.OfferId))
        {
            state.State.Exposures.Add(exposure);
            await state.WriteStateAsync();
        }
    }

    public Task<OfferExposure[]> GetAll() => Task.FromResult(state.State.Exposures.ToArray());

    public async Task Clear()
    {
        await state.ClearStateAsync();
        state.State = new ShopperExposureState();
        DeactivateOnIdle();
    }
}
