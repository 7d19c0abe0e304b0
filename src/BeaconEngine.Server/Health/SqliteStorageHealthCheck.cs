using BeaconEngine.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BeaconEngine.Server.Health;

/// <summary>
/// Ready while the SQLite file can be written: the check takes the file's write lock and lets it go again
/// (<c>BEGIN IMMEDIATE; ROLLBACK</c>), so a file that is gone, unreadable, or held by another writer for
/// longer than <see cref="Wait"/> makes the node not ready, and it is ready again once the writer lets go.
/// </summary>
public sealed class SqliteStorageHealthCheck(SqliteStateStore store) : IHealthCheck
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // ReadWrite, not ReadWriteCreate: a file deleted under the node must not be silently made anew.
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = store.DatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = (int)Wait.TotalSeconds,
        }.ToString();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{store.DatabasePath} can be written.");
        }
        catch (SqliteException ex)
        {
            return HealthCheckResult.Unhealthy($"{store.DatabasePath} cannot be written: {ex.Message}");
        }
    }
}
