using System.Net;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Hosting;
using BeaconEngine.Server.Hubs;
using BeaconEngine.Server.Storage;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace BeaconEngine.Server.Hosting;

public static class OrleansHostingExtensions
{
    /// <summary>
    /// The co-hosted silo. On its embedded default: one process, localhost clustering, state in SQLite.
    /// With <c>BeaconEngine:Cluster:Mode=postgres</c> or <c>redis</c>: one node of a cluster (see <see cref="ClusterHostingExtensions"/>).
    /// </summary>
    public static WebApplicationBuilder AddBeaconEngineSilo(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(BeaconEngineOptions.Section).Get<BeaconEngineOptions>() ?? new BeaconEngineOptions();
        var cluster = builder.Configuration.GetSection(BeaconClusterOptions.Section).Get<BeaconClusterOptions>() ?? new BeaconClusterOptions();

        builder.Services.AddBeaconEngineGrains();
        builder.Services.Configure<EngineOptions>(builder.Configuration.GetSection($"{BeaconEngineOptions.Section}:Engine"));
        builder.Services.AddSingleton<ICouponPusher, SignalRCouponPusher>();

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
        return builder;
    }
}
