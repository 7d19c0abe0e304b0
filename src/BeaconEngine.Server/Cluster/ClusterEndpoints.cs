using BeaconEngine.Grains.Cluster;
using BeaconEngine.Server.Hosting;
using BeaconEngine.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Cluster;

/// <summary>The operator's view of the cluster from the node asked: which nodes it reaches. Mapped in cluster mode only.</summary>
public static class ClusterEndpoints
{
    public static WebApplication MapBeaconEngineCluster(this WebApplication app)
    {
        if (app.Services.GetService<ClusterNodes>() is not null)
        {
            app.MapGet("/api/v1/cluster", GetCluster).RequireAuthorization(Roles.Operator).WithTags("Operator")
                .WithSummary("The cluster's nodes").WithDescription("This node and its role (silo or frontend), the other nodes it knows, and the coupon messages it received from other nodes.");
        }

        return app;
    }

    private static Ok<ClusterResponse> GetCluster(ClusterNodes nodes, CouponRoute route, IOptions<BeaconClusterOptions> cluster) => TypedResults.Ok(new ClusterResponse(
        cluster.Value.ClusterId,
        "presence",
        nodes.Self,
        [.. nodes.Others.Select(n => n.Name).Order(StringComparer.Ordinal)],
        route.FromOtherNodes,
        nodes.IsFrontend ? "frontend" : "silo"));
}

/// <summary>
/// The answer of <c>GET /api/v1/cluster</c>. <c>couponMessagesFromOtherNodes</c>: coupon messages this node
/// received from another node since it started (a coupon costs at most one, to the phone's node; two when the phone
/// is on a front-end: to the presence's silo, then to the front-end). <c>role</c>: <c>silo</c> or <c>frontend</c>.
/// </summary>
public sealed record ClusterResponse(string ClusterId, string Delivery, string Node, string[] OtherNodes, long CouponMessagesFromOtherNodes, string Role);
