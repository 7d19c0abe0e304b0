using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Limits;
using BeaconEngine.Server.Cluster;
using BeaconEngine.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Hubs;

/// <summary>
/// The shopper app's live channel. Server to client: <c>coupon</c>. Client to server: <c>Ack</c>,
/// <c>Dismiss</c> and <c>ReportSightings</c> (the beacons the phone ranged). Connections are addressed by user (the shopper id of the token), so a connection
/// only ever receives its own shopper's coupons.
/// </summary>
[Authorize(Policy = Roles.Shopper)]
public sealed class ShopperHub(IGrainFactory grains, ShopperConnections connections, PhoneReportIngestor reports, IShopperPresence presence) : Hub
{
    public const string Path = "/hubs/shopper";
    public const string CouponMethod = "coupon";

    public override async Task OnConnectedAsync()
    {
        // One token holds a few connections at most; a new one closes its oldest.
        connections.Add(Context.User!.SubjectId(), Context);

        // The connection is already reachable by user before this runs, and in a cluster the shopper's presence
        // knows this node before the wallet is read, so a coupon issued now is either pushed live or included
        // below (possibly both; apps de-duplicate by couponId).
        await presence.ConnectedAsync(Context.User!.SubjectId());
        var pending = await Shopper().GetUnacknowledged();
        foreach (var coupon in pending)
        {
            await Clients.Caller.SendAsync(CouponMethod, CouponMessage.From(coupon));
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.User!.SubjectId(), Context);
        await presence.DisconnectedAsync(Context.User!.SubjectId());
        await base.OnDisconnectedAsync(exception);
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

    /// <summary>The beacons the phone ranged, as <c>POST /api/v1/me/sightings</c> takes them; a bad report is a hub error saying what to fix.</summary>
    public async Task<PhoneReportReceipt> ReportSightings(PhoneReportMessage report)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            var response = await reports.IngestAsync(Context.User!.SubjectId(), Context.User!.StoreId(), report);
            return new PhoneReportReceipt
            {
                Accepted = response.Accepted,
                Dropped = response.Dropped,
                Rejected = [.. response.Rejected.Select(r => new RejectedMessage { Index = r.Index, Error = r.Error })],
            };
        }
        catch (ApiProblemException problem)
        {
            // The HTTP route's problem, status and all, so an app handles both alike.
            throw new HubException($"{problem.Status} {problem.Title}: {problem.Message}");
        }
    }

    private IShopperGrain Shopper() => grains.GetGrain<IShopperGrain>(Context.User!.SubjectId());
}
