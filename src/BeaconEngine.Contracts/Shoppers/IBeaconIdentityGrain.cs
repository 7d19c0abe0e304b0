using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Shoppers;

/// <summary>Which shopper holds a beacon identity. Key: <c>uuid/major/minor</c>.</summary>
[Alias("BeaconEngine.IBeaconIdentityGrain")]
public interface IBeaconIdentityGrain : IGrainWithStringKey
{
    [Alias("Assign")]
    Task Assign(string shopperId);

    [ReadOnly, Alias("GetShopperId")]
    Task<string?> GetShopperId();

    [Alias("Release")]
    Task Release();
}
