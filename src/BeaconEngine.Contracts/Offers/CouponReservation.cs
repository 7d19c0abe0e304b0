namespace BeaconEngine.Contracts.Offers;

/// <summary>
/// One unit of an offer's budget taken for a coupon about to be written to a shopper's wallet. The
/// offer keeps it until the shopper confirms the wallet holds the coupon; one never confirmed is checked
/// with the shopper and given back if the coupon never reached the wallet (a crash in between).
/// <see cref="Ordinal"/> is given by the offer when it takes the unit (0 until then).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CouponReservation")]
public sealed record CouponReservation(string CouponId, string ShopperId, DateTimeOffset ExpiresAt)
{
    [Id(10)] public long Ordinal { get; init; }
}
