using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace BeaconEngine.Server.Storage.Postgres;

/// <summary>
/// The cluster's schema in PostgreSQL, created on an empty database and moved forward by numbered
/// migrations (embedded <c>Migrations/NNNN_name.sql</c>). Each migration runs in its own transaction
/// together with its row in <c>beaconengine_schema</c>, so a migration is applied completely or not at all;
/// an advisory lock lets one node migrate while the others, starting at the same moment, wait.
/// </summary>
public static partial class PostgresSchema
{
    public const string VersionTable = "beaconengine_schema";

    // Any fixed number: the key of the advisory lock all nodes take while migrating.
    private const long MigrationLock = 0x42_45_41_43_4F_4E_31;

    /// <summary>Every migration this build knows, in order.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = Load();

    /// <summary>The version this build needs.</summary>
    public static int Latest => Migrations[^1].Version;

    /// <summary>Applies the migrations the database lacks; returns those applied (none when it is current).</summary>
    public static async Task<IReadOnlyList<Migration>> MigrateAsync(NpgsqlDataSource database, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLock})", cancellation);
        try
        {
            await ExecuteAsync(connection, $"""
                CREATE TABLE IF NOT EXISTS {VersionTable}
                (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellation);
            var current = await CurrentVersionAsync(connection, cancellation);
            if (current > Latest)
            {
                throw new InvalidOperationException(
                    $"The database's schema is at version {current}, newer than this server's {Latest}: run the newer server, or restore a database made by this one.");
            }

            var applied = new List<Migration>();
            foreach (var migration in Migrations.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                await ExecuteAsync(connection, migration.Sql, cancellation);
                await using (var record = new NpgsqlCommand($"INSERT INTO {VersionTable}(version, name) VALUES (@version, @name)", connection))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellation);
                }

                await transaction.CommitAsync(cancellation);
                applied.Add(migration);
            }

            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    /// <summary>The schema version the database is at; 0 when it has none.</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {VersionTable}", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellation), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (MigrationName().Match(resource) is not { Success: true } match)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"PostgreSQL migrations must be numbered 1, 2, 3...; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"Postgres\.Migrations\.(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}

/// <summary>One step of the schema: its number, name and SQL.</summary>
public sealed record Migration(int Version, string Name, string Sql);
