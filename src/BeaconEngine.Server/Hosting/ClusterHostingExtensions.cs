using System.Net;
using System.Net.Sockets;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Cluster;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using StackExchange.Redis;

namespace BeaconEngine.Server.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>
    /// One node of a cluster: Orleans membership and grain state in the cluster's store (PostgreSQL, see
    /// <see cref="PostgresClusterStore"/>, or Redis, see <see cref="RedisClusterStore"/>), coupons delivered
    /// to whichever node the shopper's phone is connected to, store changes announced to every node.
    /// </summary>
    public static WebApplicationBuilder AddBeaconEngineClusterNode(this WebApplicationBuilder builder, BeaconEngineOptions options, BeaconClusterOptions cluster)
    {
        if (string.IsNullOrWhiteSpace(options.AdminKey))
        {
            // Each node would otherwise make its own key, and the operator's calls would work on one node only.
            throw new InvalidOperationException("In a cluster every node needs the same operator key: set BeaconEngine:AdminKey (environment BeaconEngine__AdminKey).");
        }

        // The store's own services (a schema migration, for one) come before the silo, which starts after them.
        var useStore = cluster.Mode switch
        {
            ClusterMode.Postgres => builder.AddPostgresClusterStore(cluster),
            ClusterMode.Redis => builder.AddRedisClusterStore(cluster),
            _ => throw new InvalidOperationException($"{BeaconClusterOptions.Section}:Mode {cluster.Mode} is not a cluster mode."),
        };

        var services = builder.Services;
        services.Configure<BeaconClusterOptions>(builder.Configuration.GetSection(BeaconClusterOptions.Section));

        // The store directory announces changes to the other nodes; each node's listener invalidates its own.
        services.AddSingleton<StoreDirectory>();
        services.Replace(ServiceDescriptor.Singleton<IStoreDirectory, ClusterStoreDirectory>());
        services.AddSingleton<ClusterNodes>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClusterNodes>());

        if (cluster.Delivery == CouponDelivery.Orleans)
        {
            services.Replace(ServiceDescriptor.Singleton<ICouponPusher, ClusterCouponPusher>());
        }
        else if (cluster.Mode == ClusterMode.Redis)
        {
            // Clients.User then publishes to Redis, and every node with a connection of that user sends it.
            services.AddSignalR().AddStackExchangeRedis(cluster.Redis!, o => o.Configuration.ChannelPrefix = RedisChannel.Literal($"{BeaconClusterOptions.ServiceId}/{cluster.ClusterId}/signalr"));
        }
        else
        {
            throw new InvalidOperationException($"{BeaconClusterOptions.Section}:Delivery redis needs Redis mode; use orleans.");
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = BeaconClusterOptions.ServiceId;
                o.ClusterId = cluster.ClusterId;
            });
            var advertised = string.IsNullOrWhiteSpace(cluster.AdvertisedIPAddress) ? FirstIPv4() : IPAddress.Parse(cluster.AdvertisedIPAddress);
            silo.ConfigureEndpoints(advertised, options.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));

            // Production keeps Orleans' defaults (a dead node is declared so after about 15 s); tests shorten them.
            silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection($"{BeaconClusterOptions.Section}:Membership"));
            useStore(silo);
        });
        return builder;
    }

    private static IPAddress FirstIPv4() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
