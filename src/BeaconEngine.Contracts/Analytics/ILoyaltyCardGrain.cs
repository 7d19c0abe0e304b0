using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>A store's loyalty card, linked by its holder so a till can name the shopper by card. Key: "{storeId}/{loyaltyId}".</summary>
[Alias("BeaconEngine.ILoyaltyCardGrain")]
public interface ILoyaltyCardGrain : IGrainWithStringKey
{
    /// <summary>False if another shopper holds the card.</summary>
    [Alias("Link")]
    Task<bool> Link(string shopperId);

    [Alias("Unlink")]
    Task Unlink(string shopperId);

    [ReadOnly, Alias("GetShopperId")]
    Task<string?> GetShopperId();
}
