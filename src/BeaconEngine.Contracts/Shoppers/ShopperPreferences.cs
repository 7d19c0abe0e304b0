namespace BeaconEngine.Contracts.Shoppers;

/// <summary>
/// What the shopper declared, read from the enrolment's <c>preferences</c> object: segments or needs
/// (e.g. "vegan", "family"), loyalty tier, categories of interest, and categories never to be offered;
/// and quiet hours ("HH:mm" in the store's time zone, may run over midnight) when no coupon is sent.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ShopperPreferences")]
public sealed record ShopperPreferences(string[] Segments, string? LoyaltyTier, string[] Interests, string[] NeverOffer, string? QuietFrom = null, string? QuietTo = null);
