using BeaconEngine.Cluster.Tests.Infrastructure;

namespace BeaconEngine.Cluster.Tests;

/// <summary>Redis and two server nodes, shared by the tests of a class (each test makes its own store).</summary>
public sealed class TwoNodeClusterFixture : IAsyncLifetime
{
    private Infrastructure.Cluster? _cluster;

    public NodeProcess A => _cluster!.Nodes[0];

    public NodeProcess B => _cluster!.Nodes[1];

    public async Task InitializeAsync() => _cluster = await Infrastructure.Cluster.StartAsync(2);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
