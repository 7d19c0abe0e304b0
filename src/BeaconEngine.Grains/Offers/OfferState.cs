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
}
