using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains.Coupons;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Hubs;

/// <summary>Pushes a coupon to every connection of its shopper on this node, never waiting on a slow phone.</summary>
public sealed class SignalRCouponPusher(IHubContext<ShopperHub> hub) : ICouponPusher
{
    public ValueTask PushAsync(string shopperId, Coupon coupon)
    {
        hub.SendWithoutWaiting(shopperId, coupon);
        return ValueTask.CompletedTask;
    }
}
