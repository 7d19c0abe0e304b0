using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Server.Limits;
using BeaconEngine.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Hubs;

/// <summary>
/// The shopper app's live channel. Server to client: <c>coupon</c>. Client to server: <c>Ack</c> and
/// <c>Dismiss</c>. Connections are addressed by user (the shopper id of the token), so a connection
/// only ever receives its own shopper's coupons.
/// </summary>
[Authorize(Policy = Roles.Shopper)]
public sealed class ShopperHub(IGrainFactory grains, ShopperConnections connections) : Hub
{
    public const string Path = "/hubs/shopper";
    public const string CouponMethod = "coupon";

    public override async Task OnConnectedAsync()
    {
        // One token holds a few connections at most; a new one closes its oldest.
        connections.Add(Context.User!.SubjectId(), Context);

        // The connection is already reachable by user before this runs, so a coupon issued now is
        // either pushed live or included below (possibly both; apps de-duplicate by couponId).
        var pending = await Shopper().GetUnacknowledged();
        foreach (var coupon in pending)
        {
            await Clients.Caller.SendAsync(CouponMethod, CouponMessage.From(coupon));
        }

        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.User!.SubjectId(), Context);
        return base.OnDisconnectedAsync(exception);
    }

    public async Task Ack(string couponId)
    {
        if (!await Shopper().Acknowledge(couponId))
        {
            throw new HubException($"You hold no coupon '{couponId}'.");
        }
    }

    public async Task Dismiss(string couponId)
    {
        if (!await Shopper().Dismiss(couponId))
        {
            throw new HubException($"You hold no coupon '{couponId}'.");
        }
    }

    private IShopperGrain Shopper() => grains.GetGrain<IShopperGrain>(Context.User!.SubjectId());
}
