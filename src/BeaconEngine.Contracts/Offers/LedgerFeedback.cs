namespace BeaconEngine.Contracts.Offers;

/// <summary>
/// Acknowledgements and dismissals an offer's ledger counted before its results took them over (stored by an
/// older version), with the bits of the coupons they were counted for, so that feedback sent again still
/// counts once (and a coupon dismissed and then redeemed, already taken off the dismissals, is not taken off
/// again). Handed over once, to the offer's results.
/// </summary>
[GenerateSerializer, Alias("BeaconEngine.LedgerFeedback")]
public sealed record LedgerFeedback(
    [property: Id(0)] long Delivered,
    [property: Id(1)] long Dismissed,
    [property: Id(2)] byte[] DeliveredCounted,
    [property: Id(3)] byte[] DismissedCounted,
    [property: Id(4)] byte[] RedeemedAfterDismissal);
