namespace BeaconEngine.Contracts.Offers;

/// <summary>An offer's definition with its version, which counts its changes (the API's <c>ETag</c>).</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.VersionedOffer")]
public sealed record VersionedOffer(OfferDefinition Offer, long Version);

/// <summary>What a conditional update did: <see cref="Found"/> false if no live offer, <see cref="Stale"/> if its version had moved on.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferUpdate")]
public sealed record OfferUpdate(bool Found, bool Stale, long Version);
