using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Offers;

/// <summary>
/// An offer's definition and its budget's ledger. Ids 6 (held out), 41 and 42 (expiry buckets) were retired
/// when the offer's results took those counts over: stored rows may still hold them, so they are not reused.
/// </summary>
[GenerateSerializer]
public sealed class OfferState
{
    [Id(0)] public OfferDefinition? Definition { get; set; }

    [Id(1)] public bool Deleted { get; set; }

    /// <summary>Coupons reserved from the budget (a reservation given back is taken off again).</summary>
    [Id(2)] public long Issued { get; set; }

    /// <summary>Acknowledgements counted here by an older version, until the offer's results take them over.</summary>
    [Id(3)] public long LegacyDelivered { get; set; }

    /// <summary>Dismissals counted here by an older version, until the offer's results take them over.</summary>
    [Id(4)] public long LegacyDismissed { get; set; }

    [Id(5)] public long Redeemed { get; set; }

    /// <summary>Budget reservations whose coupon the shopper has not yet confirmed as stored, by coupon id.</summary>
    [Id(40)] public Dictionary<string, CouponReservation> Pending { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The ordinal given to the last reservation (coupons are numbered 1, 2, ... per offer).</summary>
    [Id(43)] public long LastOrdinal { get; set; }

    /// <summary>The coupons of <see cref="LegacyDelivered"/>, one bit per ordinal.</summary>
    [Id(44)] public byte[] LegacyDeliveredCounted { get; set; } = [];

    /// <summary>The coupons of <see cref="LegacyDismissed"/>, one bit per ordinal.</summary>
    [Id(45)] public byte[] LegacyDismissedCounted { get; set; } = [];

    /// <summary>
    /// Which coupons' redemption is counted, one bit per ordinal, stored in the same write as the count: a
    /// redemption sent again (a shopper's outbox after a crash) counts once. 10,000 coupons take 1.25 KB.
    /// </summary>
    [Id(46)] public byte[] RedeemedCounted { get; set; } = [];

    /// <summary>Counts the definition's changes: 1 when created, one more for each update (the API's ETag).</summary>
    [Id(47)] public long Version { get; set; }
}
