using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>A shopper's delivery channel and loyalty card. Key: shopper id.</summary>
[Alias("BeaconEngine.IShopperSettingsGrain")]
public interface IShopperSettingsGrain : IGrainWithStringKey
{
    [ReadOnly, Alias("Get")]
    Task<ShopperChannel> Get();

    [Alias("Set")]
    Task Set(ShopperChannel channel);

    /// <summary>Erasure.</summary>
    [Alias("Clear")]
    Task Clear();
}
