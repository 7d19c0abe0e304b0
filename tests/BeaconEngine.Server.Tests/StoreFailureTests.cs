using System.Net.Sockets;
using BeaconEngine.Grains;
using BeaconEngine.Server.Storage;
using Npgsql;
using Orleans.Runtime;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// Which failures of the grains' store pass (and get a 503 with Retry-After) and which do not (a 500): in the
/// wrappings Orleans gives them, including a PostgreSQL that is still starting after a crash.
/// </summary>
public sealed class StoreFailureTests
{
    [Theory]
    [InlineData("57P03", "the database system is starting up")]
    [InlineData("57P03", "the database system is not yet accepting connections")]
    [InlineData("57P01", "terminating connection due to administrator command")]
    [InlineData("08006", "connection failure")]
    [InlineData("53300", "too many connections")]
    public void A_database_restarting_or_full_is_a_passing_failure(string state, string text)
    {
        var wrapped = new OrleansException("Error from storage provider AdoNetGrainStorage.gateway during ReadStateAsync",
            new PostgresException(text, "FATAL", "FATAL", state));

        Assert.True(StoreFailure.IsUnavailable(wrapped));
    }

    [Fact]
    public void Refused_connections_and_the_engines_own_store_exception_are_passing_failures()
    {
        Assert.True(StoreFailure.IsUnavailable(new OrleansException("Error from storage provider",
            new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)))));
        Assert.True(StoreFailure.IsUnavailable(new StoreUnavailableException("The store did not answer")));
        Assert.True(StoreFailure.IsUnavailable(new AggregateException(new InvalidOperationException("other"), new StoreUnavailableException())));
    }

    [Theory]
    [InlineData("23505", "duplicate key value violates unique constraint")]
    [InlineData("42P01", "relation does not exist")]
    public void A_mistake_in_the_data_or_schema_is_not(string state, string text)
    {
        Assert.False(StoreFailure.IsUnavailable(new OrleansException("Error from storage provider", new PostgresException(text, "ERROR", "ERROR", state))));
        Assert.False(StoreFailure.IsUnavailable(new InvalidOperationException("a bug")));
    }
}
