namespace BeaconEngine.Contracts.Offers;

/// <summary>
/// What an offer's ledger counts, the figures its budget needs: coupons issued (reserved) and redeemed, and what
/// is left of the budget. Every other count of the offer (delivered, dismissed, held out, expired, by zone and
/// hour) is its results', in <see cref="Analytics.OfferReport"/>.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferStats")]
public sealed record OfferStats(long Issued, long Redeemed, long? RemainingBudget);
