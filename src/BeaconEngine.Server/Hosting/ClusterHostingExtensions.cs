using System.Net;
using System.Net.Sockets;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Cluster;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Storage;
using StackExchange.Redis;

namespace BeaconEngine.Server.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>
    /// One node of a cluster: Orleans membership and grain state in Redis, coupons delivered to whichever
    /// node the shopper's phone is connected to, store changes announced to every node.
    /// </summary>
    public static WebApplicationBuilder AddBeaconEngineClusterNode(this WebApplicationBuilder builder, BeaconEngineOptions options, BeaconClusterOptions cluster)
    {
        if (string.IsNullOrWhiteSpace(cluster.Redis))
        {
            throw new InvalidOperationException($"{BeaconClusterOptions.Section}:Mode is redis, but {BeaconClusterOptions.Section}:Redis (the Redis connection string, e.g. 127.0.0.1:6379) is not set.");
        }

        if (string.IsNullOrWhiteSpace(options.AdminKey))
        {
            // Each node would otherwise make its own key, and the operator's calls would work on one node only.
            throw new InvalidOperationException("In a cluster every node needs the same operator key: set BeaconEngine:AdminKey (environment BeaconEngine__AdminKey).");
        }

        var redis = cluster.Redis;
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
        else
        {
            // Clients.User then publishes to Redis, and every node with a connection of that user sends it.
            services.AddSignalR().AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal($"{BeaconClusterOptions.ServiceId}/{cluster.ClusterId}/signalr"));
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
            silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));

            // The package's writes compare the stored ETag in a Lua script and raise InconsistentStateException
            // on a mismatch, as the SQLite storage does. Cleared state is deleted, so erasure leaves nothing.
            silo.AddRedisGrainStorage(StorageNames.State, o => o.Configure<Orleans.Serialization.Serializer>((storage, serializer) =>
            {
                storage.ConfigurationOptions = ConfigurationOptions.Parse(redis);
                storage.DeleteStateOnClear = true;
                storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        });
        return builder;
    }

    private static IPAddress FirstIPv4() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
