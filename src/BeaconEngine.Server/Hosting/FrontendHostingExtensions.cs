using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Cluster;
using BeaconEngine.Server.Hubs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;

namespace BeaconEngine.Server.Hosting;

/// <summary>
/// A front-end (<c>BeaconEngine:Role=frontend</c>): the REST API, the shopper hub and MQTT ingestion on an Orleans
/// client (Microsoft.Orleans.Client) of a cluster's silos, found through the cluster's membership (PostgreSQL or
/// Redis). It holds phones' connections and hosts no grains. A coupon reaches its phones through the shopper's
/// presence, which sends to this node's listener, a client-side grain observer. Silo-only work stays on the
/// silos: the schema migration, the store-failure filter, announcing store changes, issuing coupons.
/// </summary>
public static partial class FrontendHostingExtensions
{
    public static WebApplicationBuilder AddBeaconEngineFrontend(this WebApplicationBuilder builder, BeaconEngineOptions options, BeaconClusterOptions cluster)
    {
        if (!cluster.IsCluster)
        {
            throw new InvalidOperationException(
                $"{BeaconEngineOptions.Section}:Role is frontend, but {BeaconClusterOptions.Section}:Mode is embedded: a front-end is a client of a "
                + "cluster's silos, and the embedded mode has no cluster to join. Set the same cluster settings as the silos "
                + $"({BeaconClusterOptions.Section}:Mode postgres with {BeaconClusterOptions.Section}:Postgres, or redis with {BeaconClusterOptions.Section}:Redis), "
                + $"or leave {BeaconEngineOptions.Section}:Role unset to run one node that does everything.");
        }

        ClusterHostingExtensions.RequireSharedAdminKey(options);
        var useClustering = cluster.Mode == ClusterMode.Postgres
            ? builder.AddPostgresClusterClient(cluster)
            : builder.AddRedisClusterClient(cluster);

        var services = builder.Services;
        services.Configure<BeaconClusterOptions>(builder.Configuration.GetSection(BeaconClusterOptions.Section));

        // No grain here issues a coupon; the host's pusher is registered because the engagement services wrap it.
        services.AddSingleton<ICouponPusher, SignalRCouponPusher>();

        // Store views are cached here as on a silo; the silos announce each change to this node's listener.
        services.AddSingleton<StoreDirectory>();
        services.Replace(ServiceDescriptor.Singleton<IStoreDirectory>(sp => sp.GetRequiredService<StoreDirectory>()));
        services.AddSingleton<ILocalNode, FrontendLocalNode>();
        services.AddSingleton<ClusterNodes>();
        services.AddSingleton<IShopperPresence, ClusterShopperPresence>();

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = BeaconClusterOptions.ServiceId;
                o.ClusterId = cluster.ClusterId;
            });

            // How often the silos' gateways are read again from membership (Orleans' default: every minute).
            client.Services.Configure<GatewayOptions>(builder.Configuration.GetSection($"{BeaconClusterOptions.Section}:Gateways"));

            // Silos that are not up yet (or a database still starting) are waited for, as a silo waits for its database.
            client.UseConnectionRetryFilter<WaitForCluster>();
            useClustering(client);
        });

        // After the client's own start (registration order): the listener needs a connected client, and the HTTP
        // listener (started after every hosted service) opens only once the node is registered.
        services.AddHostedService<FrontendRegistration>();
        return builder;
    }

    /// <summary>Registers the front-end with the node registry on start and keeps it registered.</summary>
    private sealed class FrontendRegistration(ClusterNodes nodes) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => nodes.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => nodes.StopAsync(cancellationToken);
    }

    /// <summary>Keeps trying to reach the cluster at start, every 2 s, saying why it could not.</summary>
    private sealed partial class WaitForCluster(ILogger<WaitForCluster> logger) : IClientConnectionRetryFilter
    {
        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            LogWaiting(logger, exception.Message);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            return true;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster's silos cannot be reached yet ({Reason}); trying again in 2 s")]
        private static partial void LogWaiting(ILogger logger, string reason);
    }
}
