using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// The live picture of a store for its operator, kept in memory only: after a restart it fills again
/// as shoppers are heard. Key: store id.
/// </summary>
[Alias("BeaconEngine.IStoreActivityGrain")]
public interface IStoreActivityGrain : IGrainWithStringKey
{
    /// <summary>A shopper (by pseudonym) is now in <paramref name="zoneId"/>; null: in no zone.</summary>
    [OneWay, Alias("ShopperAt")]
    Task ShopperAt(string shopperKey, string? zoneId);

    [OneWay, Alias("CouponIssued")]
    Task CouponIssued(DateTimeOffset at);

    [ReadOnly, Alias("Get")]
    Task<StoreActivity> Get(DateTimeOffset now);
}
