using System.Net;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Hosting;
using BeaconEngine.Server.Cluster;
using BeaconEngine.Server.Events;
using BeaconEngine.Server.Hubs;
using BeaconEngine.Server.Storage;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace BeaconEngine.Server.Hosting;

public static class OrleansHostingExtensions
{
    /// <summary>
    /// Orleans in this process: the co-hosted silo (<see cref="AddBeaconEngineSilo"/>) or, with
    /// <c>BeaconEngine:Role=frontend</c>, a client of a cluster's silos (<see cref="FrontendHostingExtensions"/>).
    /// </summary>
    public static WebApplicationBuilder AddBeaconEngineOrleans(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(BeaconEngineOptions.Section).Get<BeaconEngineOptions>() ?? new BeaconEngineOptions();
        var cluster = builder.Configuration.GetSection(BeaconClusterOptions.Section).Get<BeaconClusterOptions>() ?? new BeaconClusterOptions();

        // What the API shares with the grains: the clock, the engine's options, store views (a front-end caches
        // them too, told of changes like any node). The grains' own services stay unused on a front-end.
        builder.Services.AddBeaconEngineGrains();
        builder.Services.Configure<EngineOptions>(builder.Configuration.GetSection($"{BeaconEngineOptions.Section}:Engine"));

        // A store's failure reaches a caller on another node (or on a front-end) as itself (Orleans carries
        // exceptions of these namespaces field by field), not as a codec error that would hide it.
        builder.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o =>
        {
            o.SupportedNamespacePrefixes.Add("Npgsql");
            o.SupportedNamespacePrefixes.Add("StackExchange.Redis");
        });
        return options.Role == NodeRole.Frontend
            ? builder.AddBeaconEngineFrontend(options, cluster)
            : builder.AddBeaconEngineSilo(options, cluster);
    }

    /// <summary>
    /// The co-hosted silo. On its embedded default: one process, localhost clustering, state in SQLite.
    /// With <c>BeaconEngine:Cluster:Mode=postgres</c> or <c>redis</c>: one node of a cluster (see <see cref="ClusterHostingExtensions"/>).
    /// </summary>
    private static WebApplicationBuilder AddBeaconEngineSilo(this WebApplicationBuilder builder, BeaconEngineOptions options, BeaconClusterOptions cluster)
    {
        builder.Services.AddSingleton<ICouponPusher, SignalRCouponPusher>();
        builder.Services.AddSingleton<IShopperPresence, LocalShopperPresence>();

        // In every mode: a grain whose store failed starts again from what the store holds.
        builder.Services.AddSingleton<IIncomingGrainCallFilter, StoreFailureFilter>();
        if (cluster.IsCluster)
        {
            return builder.AddBeaconEngineClusterNode(options, cluster);
        }

        builder.Services.AddSingleton(sp => new SqliteStateStore(options.DatabasePath, sp.GetService<ILogger<SqliteStateStore>>()));
        builder.UseOrleans(silo =>
        {
            // No client gateway: the only client is this process.
            silo.UseLocalhostClustering(siloPort: options.SiloPort, gatewayPort: 0, serviceId: "beaconengine", clusterId: "beaconengine-local");
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
            silo.Services.AddGrainStorage(StorageNames.State, (sp, _) => new SqliteGrainStorage(
                sp.GetRequiredService<SqliteStateStore>(),
                new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>())));
        });

        // What a crash left in shoppers' outboxes goes out at start, not at each shopper's next call.
        builder.Services.AddHostedService(sp => new StoreEventOutboxResumer(
            sp.GetRequiredService<SqliteStateStore>(),
            new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>()),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<StoreEventOutboxResumer>>()));
        return builder;
    }
}
