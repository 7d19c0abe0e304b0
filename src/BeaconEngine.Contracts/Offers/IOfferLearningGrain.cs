using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Offers;

/// <summary>
/// What a store has learned of its offers' redemption, kept durably so the rules' posteriors survive a
/// restart and reach every silo. Key: store id.
/// </summary>
[Alias("BeaconEngine.IOfferLearningGrain")]
public interface IOfferLearningGrain : IGrainWithStringKey
{
    /// <summary>Counts a coupon's outcome for the offer, overall and for the shopper's segment (if any).</summary>
    [Alias("Record")]
    Task Record(string offerId, string? segment, bool redeemed);

    [ReadOnly, Alias("GetCounts")]
    Task<OfferOutcomeCount[]> GetCounts();
}
