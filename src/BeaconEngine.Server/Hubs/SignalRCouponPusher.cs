using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains.Coupons;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Hubs;

/// <summary>Pushes a coupon to every connection of its shopper on this node.</summary>
public sealed class SignalRCouponPusher(IHubContext<ShopperHub> hub) : ICouponPusher
{
    public ValueTask PushAsync(string shopperId, Coupon coupon) =>
        new(hub.Clients.User(shopperId).SendAsync(ShopperHub.CouponMethod, CouponMessage.From(coupon)));
}
