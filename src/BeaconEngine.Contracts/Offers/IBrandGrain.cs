using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Offers;

/// <summary>A brand and the offers it owns. Key: brand id.</summary>
[Alias("BeaconEngine.IBrandGrain")]
public interface IBrandGrain : IGrainWithStringKey
{
    /// <summary>False if the brand exists already.</summary>
    [Alias("Register")]
    Task<bool> Register(string name);

    [ReadOnly, Alias("Exists")]
    Task<bool> Exists();

    [ReadOnly, Alias("GetOfferIds")]
    Task<string[]> GetOfferIds();

    [Alias("AddOffer")]
    Task AddOffer(string offerId);

    [Alias("RemoveOffer")]
    Task RemoveOffer(string offerId);
}
