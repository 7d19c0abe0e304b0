using Npgsql;

namespace BeaconEngine.Server.Storage.Postgres;

/// <summary>
/// Brings the database's schema up to date before Orleans starts (it is registered ahead of the silo, and
/// hosted services start in order). A database that does not answer yet is waited for, so nodes and their
/// database may be started in any order.
/// </summary>
public sealed partial class PostgresSchemaService(NpgsqlDataSource database, ILogger<PostgresSchemaService> logger) : IHostedService
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var applied = await PostgresSchema.MigrateAsync(database, cancellationToken);
                foreach (var migration in applied)
                {
                    LogApplied(logger, migration.Version, migration.Name);
                }

                return;
            }
            catch (Exception ex) when (IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
            {
                LogWaiting(logger, ex, RetryEvery.TotalSeconds);
                await Task.Delay(RetryEvery, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Not answering, or answering that it is still starting (57P03). An error in a migration is not retried.
    private static bool IsUnreachable(Exception ex) =>
        ex is TimeoutException || (ex is NpgsqlException npgsql && (npgsql is not PostgresException server || server.SqlState == PostgresErrorCodes.CannotConnectNow));

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema: applied migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL does not answer; trying again in {Seconds} s")]
    private static partial void LogWaiting(ILogger logger, Exception ex, double seconds);
}
