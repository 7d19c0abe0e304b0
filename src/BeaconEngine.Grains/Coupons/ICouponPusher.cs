using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Coupons;

/// <summary>Port to the shopper's phone; the host implements it (SignalR). Delivery is best effort: the wallet is the record.</summary>
public interface ICouponPusher
{
    ValueTask PushAsync(string shopperId, Coupon coupon);
}
