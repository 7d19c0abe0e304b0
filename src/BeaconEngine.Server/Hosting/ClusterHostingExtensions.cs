using System.Net;
using System.Net.Sockets;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Cluster;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;

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
        RequireSharedAdminKey(options);

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
        services.AddSingleton<ILocalNode, SiloLocalNode>();
        services.AddSingleton<ClusterNodes>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClusterNodes>());

        // A coupon goes to the shopper's presence, on the node holding the phone's connection: one message.
        services.Replace(ServiceDescriptor.Singleton<ICouponPusher, ClusterCouponPusher>());
        services.Replace(ServiceDescriptor.Singleton<IShopperPresence, ClusterShopperPresence>());

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

    /// <summary>Each node would otherwise make its own key, and the operator's calls would work on one node only.</summary>
    internal static void RequireSharedAdminKey(BeaconEngineOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.AdminKey))
        {
            throw new InvalidOperationException("In a cluster every node needs the same operator key: set BeaconEngine:AdminKey (environment BeaconEngine__AdminKey).");
        }
    }

    private static IPAddress FirstIPv4() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
