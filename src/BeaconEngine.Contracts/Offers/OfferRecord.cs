namespace BeaconEngine.Contracts.Offers;

/// <summary>An offer's definition, live or retired: a retired offer's results stay readable by its brand.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferRecord")]
public sealed record OfferRecord(OfferDefinition Offer, bool Retired);
