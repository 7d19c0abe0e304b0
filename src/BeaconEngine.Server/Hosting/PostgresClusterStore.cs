using BeaconEngine.Grains;
using BeaconEngine.Server.Storage.Postgres;
using Npgsql;
using Orleans.Storage;

namespace BeaconEngine.Server.Hosting;

/// <summary>
/// PostgreSQL as the cluster's store (<c>BeaconEngine:Cluster:Mode=postgres</c>): Orleans membership and grain
/// state through Orleans' ADO.NET providers. A write is acknowledged once PostgreSQL has committed it, which with
/// its defaults (<c>synchronous_commit=on</c>, <c>fsync=on</c>) means it is on disk: a budget, wallet or code
/// the engine has confirmed survives the database's crash. The schema is created or migrated on start.
/// </summary>
public static class PostgresClusterStore
{
    /// <summary>The ADO.NET invariant name Orleans loads Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    public static Action<ISiloBuilder> AddPostgresClusterStore(this WebApplicationBuilder builder, BeaconClusterOptions cluster)
    {
        var connectionString = ConnectionString(cluster);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        // First of all hosted services, whatever was registered before: the silo's start needs the schema.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, PostgresSchemaService>());
        return silo =>
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(StorageNames.State, o => o.Configure<Orleans.Serialization.Serializer>((storage, serializer) =>
            {
                storage.Invariant = Invariant;
                storage.ConnectionString = connectionString;
                storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        };
    }

    /// <summary>
    /// A front-end's side: the gateways (silos) are read from the membership table. A front-end neither migrates
    /// the schema nor writes grain state; its readiness asks the cluster, and the database only for the health page.
    /// </summary>
    public static Action<IClientBuilder> AddPostgresClusterClient(this WebApplicationBuilder builder, BeaconClusterOptions cluster)
    {
        var connectionString = ConnectionString(cluster);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        return client => client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
    }

    /// <summary>The configured connection string, or a message that says what to set.</summary>
    public static string ConnectionString(BeaconClusterOptions cluster) =>
        string.IsNullOrWhiteSpace(cluster.Postgres)
            ? throw new InvalidOperationException(
                $"{BeaconClusterOptions.Section}:Mode is postgres, but {BeaconClusterOptions.Section}:Postgres (an Npgsql connection string, e.g. Host=127.0.0.1;Database=beaconengine;Username=beacon;Password=...) is not set.")
            : cluster.Postgres;
}
