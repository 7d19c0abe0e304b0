using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Offers;

[GenerateSerializer]
public sealed class OfferState
{
    [Id(0)] public OfferDefinition? Definition { get; set; }

    [Id(1)] public bool Deleted { get; set; }

    [Id(2)] public long Issued { get; set; }

    [Id(3)] public long Delivered { get; set; }

    [Id(4)] public long Dismissed { get; set; }

    [Id(5)] public long Redeemed { get; set; }

    [Id(6)] public long HeldOut { get; set; }

    /// <summary>Budget reservations whose coupon the shopper has not yet confirmed as stored, by coupon id.</summary>
    [Id(40)] public Dictionary<string, CouponReservation> Pending { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Coupons still open, counted by the moment they expire (Unix seconds, rounded up to a bucket).</summary>
    [Id(41)] public Dictionary<long, long> Expiring { get; set; } = [];

    /// <summary>Coupons that expired unredeemed and undismissed, as far as folded from <see cref="Expiring"/>.</summary>
    [Id(42)] public long Expired { get; set; }

    /// <summary>The ordinal given to the last reservation (coupons are numbered 1, 2, ... per offer).</summary>
    [Id(43)] public long LastOrdinal { get; set; }

    /// <summary>
    /// Which coupons' acknowledgement, dismissal and redemption are counted, one bit per ordinal each, stored in
    /// the same write as the count: feedback sent again (a shopper's outbox after a crash, a till's retry) counts
    /// once. A bit per coupon: 10,000 coupons take 3.75 KB for the three.
    /// </summary>
    [Id(44)] public byte[] DeliveredCounted { get; set; } = [];

    [Id(45)] public byte[] DismissedCounted { get; set; } = [];

    [Id(46)] public byte[] RedeemedCounted { get; set; } = [];

    /// <summary>Counts the definition's changes: 1 when created, one more for each update (the API's ETag).</summary>
    [Id(47)] public long Version { get; set; }
}
