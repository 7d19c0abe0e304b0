namespace BeaconEngine.Contracts.Analytics;

/// <summary>A purchase counted towards an offer's lift, in the group (treated or control) the shopper is in.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferAttribution")]
public sealed record OfferAttribution(string OfferId, bool Treated);
