namespace BeaconEngine.Contracts.Shoppers;

/// <summary>What the shopper agreed to: being located in the store, and receiving offers.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.Consent")]
public sealed record Consent(bool Proximity, bool Offers);
