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

    /// <summary>The name given at registration; null if the brand does not exist.</summary>
    [ReadOnly, Alias("GetName")]
    Task<string?> GetName();

    [ReadOnly, Alias("GetOfferIds")]
    Task<string[]> GetOfferIds();

    /// <summary>The offers the brand retired, oldest first.</summary>
    [ReadOnly, Alias("GetRetiredOfferIds")]
    Task<string[]> GetRetiredOfferIds();

    [Alias("AddOffer")]
    Task AddOffer(string offerId);

    /// <summary>Retires the offer: it leaves the active list and is kept among the retired ones.</summary>
    [Alias("RemoveOffer")]
    Task RemoveOffer(string offerId);
}
