using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains.Coupons;

namespace BeaconEngine.Server.Push;

/// <summary>
/// Pushes every coupon in the app (the host's own pusher, over SignalR), and, for shoppers who chose the
/// "push" channel, also queues it for the retailer's push service, which reaches a phone whose app is closed.
/// </summary>
public sealed class ChannelCouponPusher(ICouponPusher inApp, IGrainFactory grains, WebhookDispatcher webhooks) : ICouponPusher
{
    public async ValueTask PushAsync(string shopperId, Coupon coupon)
    {
        try
        {
            await inApp.PushAsync(shopperId, coupon);
        }
        finally
        {
            if (webhooks.Enabled)
            {
                var channel = await grains.GetGrain<IShopperSettingsGrain>(shopperId).Get();
                if (channel.Kind == "push")
                {
                    webhooks.Enqueue(shopperId, channel.PushToken, coupon);
                }
            }
        }
    }
}
