using BeaconEngine.Grains;
using System.Data.Common;
using System.Net.Sockets;
using Orleans.Serialization;
using StackExchange.Redis;

namespace BeaconEngine.Server.Storage;

/// <summary>
/// Recognises a failure of the grains' store that passes (PostgreSQL or Redis down or restarting, a broken
/// connection) in whatever wrapping it reaches the caller: Orleans' "Error from storage provider", an exception
/// from another node that arrived as a fallback, or the driver's own.
/// </summary>
public static class StoreFailure
{
    /// <summary>Seconds a caller is told to wait before retrying (the <c>Retry-After</c> header).</summary>
    public const int RetryAfterSeconds = 2;

    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsUnavailable);
                case DbException db when db.IsTransient || db is Npgsql.NpgsqlException { InnerException: IOException or SocketException or TimeoutException }:
                case Npgsql.PostgresException pg when IsRestartState(pg):
                case StoreUnavailableException or RedisConnectionException or RedisTimeoutException:
                case SocketException:
                    return true;
                case UnavailableExceptionFallbackException fallback when IsDriverType(fallback.ExceptionType):
                    return true;
            }
        }

        return false;
    }

    // Class 08 (connection), 53 (insufficient resources) and 57P01-57P03 (shutting down, crashed, still starting:
    // "the database system is not yet accepting connections") all pass once the server is back.
    // The state is null on an exception Orleans carried from another node; its message still starts with it.
    private static bool IsRestartState(Npgsql.PostgresException pg)
    {
        var state = pg.SqlState ?? pg.Message.Split(':', 2)[0];
        return state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
            || state is "57P01" or "57P02" or "57P03";
    }

    // An exception type Orleans could not carry between nodes arrives under its name.
    private static bool IsDriverType(string? type) =>
        type is not null && (type.StartsWith("Npgsql.", StringComparison.Ordinal) || type.StartsWith("StackExchange.Redis.", StringComparison.Ordinal)
            || type.StartsWith("System.Net.Sockets.", StringComparison.Ordinal));
}
