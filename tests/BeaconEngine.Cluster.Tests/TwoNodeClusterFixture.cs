using BeaconEngine.Cluster.Tests.Infrastructure;

namespace BeaconEngine.Cluster.Tests;

/// <summary>A store and two server nodes, shared by the tests of a class (each test makes its own store).</summary>
public abstract class TwoNodeClusterFixture : IAsyncLifetime
{
    private Infrastructure.Cluster? _cluster;

    public NodeProcess A => _cluster!.Nodes[0];

    public NodeProcess B => _cluster!.Nodes[1];

    public Infrastructure.Cluster Cluster => _cluster!;

    public async Task InitializeAsync() => _cluster = await StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    protected abstract Task<Infrastructure.Cluster> StartAsync();
}

/// <summary>Two nodes on PostgreSQL, the recommended production store; the database starts empty.</summary>
public sealed class PostgresTwoNodeFixture : TwoNodeClusterFixture
{
    protected override Task<Infrastructure.Cluster> StartAsync() => Infrastructure.Cluster.StartOnPostgresAsync(2);
}

/// <summary>Two nodes on Redis.</summary>
public sealed class RedisTwoNodeFixture : TwoNodeClusterFixture
{
    protected override Task<Infrastructure.Cluster> StartAsync() => Infrastructure.Cluster.StartAsync(2);
}
