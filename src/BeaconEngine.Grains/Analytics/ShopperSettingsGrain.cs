using BeaconEngine.Contracts.Analytics;

namespace BeaconEngine.Grains.Analytics;

[GenerateSerializer]
public sealed class ShopperSettingsState
{
    [Id(0)] public ShopperChannel? Channel { get; set; }
}

internal sealed class ShopperSettingsGrain(
    [PersistentState("settings", StorageNames.State)] IPersistentState<ShopperSettingsState> state) : Grain, IShopperSettingsGrain
{
    public static readonly ShopperChannel Default = new("inApp", null, null);

    public Task<ShopperChannel> Get() => Task.FromResult(state.State.Channel ?? Default);

    public async Task Set(ShopperChannel channel)
    {
        state.State.Channel = channel;
        await state.WriteStateAsync();
    }

    public async Task Clear()
    {
        await state.ClearStateAsync();
        state.State = new ShopperSettingsState();
        DeactivateOnIdle();
    }
}
