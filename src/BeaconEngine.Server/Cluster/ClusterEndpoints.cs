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
                .WithSummary("The cluster's nodes").WithDescription("This node, the other nodes it delivers coupons and store changes to, and the coupon delivery in use.");
        }

        return app;
    }

    private static Ok<ClusterResponse> GetCluster(ClusterNodes nodes, IOptions<BeaconClusterOptions> cluster) => TypedResults.Ok(new ClusterResponse(
        cluster.Value.ClusterId,
        cluster.Value.Delivery.ToString().ToLowerInvariant(),
        nodes.Self.ToString(),
        [.. nodes.Others.Select(n => n.Silo.ToString()).Order(StringComparer.Ordinal)]));
}

/// <summary>The answer of <c>GET /api/v1/cluster</c>.</summary>
public sealed record ClusterResponse(string ClusterId, string Delivery, string Node, string[] OtherNodes);
