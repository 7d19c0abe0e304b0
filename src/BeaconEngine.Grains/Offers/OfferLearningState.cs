namespace BeaconEngine.Grains.Offers;

[GenerateSerializer]
public sealed class OfferLearningState
{
    /// <summary>Redeemed and not-redeemed counts by "offerId" (overall) or "offerId/segment".</summary>
    [Id(0)] public Dictionary<string, long[]> Counts { get; set; } = new(StringComparer.Ordinal);
}
