using BeaconEngine.Grains;
using Orleans.Storage;
using StackExchange.Redis;

namespace BeaconEngine.Server.Hosting;

/// <summary>
/// Redis as the cluster's store (<c>BeaconEngine:Cluster:Mode=redis</c>). Redis acknowledges a write before
/// it is on disk: what it holds survives a restart only as far as its persistence settings allow (see
/// docs/cluster.md for the settings that lose the least).
/// </summary>
public static class RedisClusterStore
{
    public static Action<ISiloBuilder> AddRedisClusterStore(this WebApplicationBuilder builder, BeaconClusterOptions cluster)
    {
        var redis = ConnectionString(cluster);
        return silo =>
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));

            // The package's writes compare the stored ETag in a Lua script and raise InconsistentStateException
            // on a mismatch, as the SQLite storage does. Cleared state is deleted, so erasure leaves nothing.
            silo.AddRedisGrainStorage(StorageNames.State, o => o.Configure<Orleans.Serialization.Serializer>((storage, serializer) =>
            {
                storage.ConfigurationOptions = ConfigurationOptions.Parse(redis);
                storage.DeleteStateOnClear = true;
                storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        };
    }

    /// <summary>A front-end's side: the gateways (silos) are read from the membership kept in Redis.</summary>
    public static Action<IClientBuilder> AddRedisClusterClient(this WebApplicationBuilder builder, BeaconClusterOptions cluster)
    {
        var redis = ConnectionString(cluster);
        return client => client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
    }

    private static string ConnectionString(BeaconClusterOptions cluster) =>
        string.IsNullOrWhiteSpace(cluster.Redis)
            ? throw new InvalidOperationException($"{BeaconClusterOptions.Section}:Mode is redis, but {BeaconClusterOptions.Section}:Redis (the Redis connection string, e.g. 127.0.0.1:6379) is not set.")
            : cluster.Redis;
}
