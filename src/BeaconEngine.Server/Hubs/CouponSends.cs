using BeaconEngine.Contracts.Coupons;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Hubs;

/// <summary>
/// Sends a coupon to a shopper's connections on this node without waiting for them. A phone that stops
/// reading fills its own socket and buffers; the write to it waits there, up to <see cref="GiveUpAfter"/>,
/// while the grain, and the gateway's batch answer behind it, carry on. The wallet already holds the coupon,
/// and every unacknowledged coupon is sent again when the phone connects, so a write given up loses nothing.
/// </summary>
public static class CouponSends
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    /// <summary>Starts the send and returns at once.</summary>
    public static void SendWithoutWaiting(this IHubContext<ShopperHub> hub, string shopperId, Coupon coupon) =>
        _ = SendAsync(hub, shopperId, CouponMessage.From(coupon));

    private static async Task SendAsync(IHubContext<ShopperHub> hub, string shopperId, CouponMessage message)
    {
        using var giveUp = new CancellationTokenSource(GiveUpAfter);
        try
        {
            await hub.Clients.User(shopperId).SendAsync(ShopperHub.CouponMethod, message, giveUp.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The connection is stalled or gone: it is the connection's problem, and the wallet has the coupon.
        }
    }
}
