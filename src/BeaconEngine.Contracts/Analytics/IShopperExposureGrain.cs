using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>The offers a shopper was exposed to (treated or held out), so a purchase finds the offers it counts for. Key: shopper id.</summary>
[Alias("BeaconEngine.IShopperExposureGrain")]
public interface IShopperExposureGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task Add(OfferExposure exposure);

    [ReadOnly, Alias("GetAll")]
    Task<OfferExposure[]> GetAll();

    /// <summary>Erasure.</summary>
    [Alias("Clear")]
    Task Clear();
}
