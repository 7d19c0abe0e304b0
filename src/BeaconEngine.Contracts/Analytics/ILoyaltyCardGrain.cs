using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// A store's loyalty card, linked by its holder so a till can name the shopper by card. Key: "{storeId}/{loyaltyId}".
/// A shopper who links a card someone else holds is answered as any shopper linking a card is, so linking
/// never tells a shopper who else holds which card; the card is then disputed, and the till names nobody by
/// it until the store confirms its holder.
/// </summary>
[Alias("BeaconEngine.ILoyaltyCardGrain")]
public interface ILoyaltyCardGrain : IGrainWithStringKey
{
    /// <summary>The shopper claims the card: its holder if it had none, otherwise one of its claimants.</summary>
    [Alias("Claim")]
    Task Claim(string shopperId);

    /// <summary>The shopper lets go of the card, as holder or claimant.</summary>
    [Alias("Unlink")]
    Task Unlink(string shopperId);

    /// <summary>Who the till may name by the card.</summary>
    [ReadOnly, Alias("Resolve")]
    Task<LoyaltyCardHolder> Resolve();

    /// <summary>The card as the store sees it; null if nobody holds or claims it.</summary>
    [ReadOnly, Alias("Describe")]
    Task<LoyaltyCardStatus?> Describe();

    /// <summary>
    /// The store confirms the holder (one who holds or claims the card): the other claimants let go of it.
    /// Null if the shopper neither holds nor claims the card.
    /// </summary>
    [Alias("Confirm")]
    Task<LoyaltyCardStatus?> Confirm(string shopperId);
}

/// <summary>Who a till may name by a card: nobody while the card is disputed.</summary>
[GenerateSerializer, Immutable, Alias("BeaconEngine.LoyaltyCardHolder")]
public sealed record LoyaltyCardHolder([property: Id(0)] string? ShopperId, [property: Id(1)] bool Disputed);

/// <summary>A card's holder, whether the store confirmed them, and who else claims it.</summary>
[GenerateSerializer, Immutable, Alias("BeaconEngine.LoyaltyCardStatus")]
public sealed record LoyaltyCardStatus(
    [property: Id(0)] string? ShopperId,
    [property: Id(1)] bool Confirmed,
    [property: Id(2)] string[] Claimants);
