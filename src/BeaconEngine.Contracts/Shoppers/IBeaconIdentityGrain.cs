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

    /// <summary>
    /// Holds the identity for a store beacon (<paramref name="holder"/>: <c>storeId/beaconId</c>). Null when
    /// held; otherwise who holds it already (<c>"a shopper"</c> or the other beacon's holder).
    /// </summary>
    [Alias("HoldForBeacon")]
    Task<string?> HoldForBeacon(string holder);

    /// <summary>Frees the identity if <paramref name="holder"/> holds it.</summary>
    [Alias("ReleaseBeacon")]
    Task ReleaseBeacon(string holder);

    /// <summary>The store beacon holding the identity (<c>storeId/beaconId</c>), or null.</summary>
    [ReadOnly, Alias("GetBeaconHolder")]
    Task<string?> GetBeaconHolder();
}
