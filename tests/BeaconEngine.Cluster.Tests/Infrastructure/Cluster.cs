using System.Diagnostics;

namespace BeaconEngine.Cluster.Tests.Infrastructure;

/// <summary>A store of its own (Redis or PostgreSQL) and server nodes that form one cluster on it.</summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly List<NodeProcess> _nodes = [];
    private readonly string[] _storeArgs;

    private Cluster(RedisServer redis)
    {
        Redis = redis;
        _storeArgs = ["--BeaconEngine:Cluster:Mode", "redis", "--BeaconEngine:Cluster:Redis", redis.ConnectionString];
    }

    private Cluster(PostgresServer postgres)
    {
        Postgres = postgres;
        _storeArgs = ["--BeaconEngine:Cluster:Mode", "postgres", "--BeaconEngine:Cluster:Postgres", postgres.ConnectionString];
    }

    public RedisServer? Redis { get; }

    public PostgresServer? Postgres { get; }

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..16];

    public IReadOnlyList<NodeProcess> Nodes => _nodes;

    /// <summary>On Redis.</summary>
    public static async Task<Cluster> StartAsync(int nodes, params string[] extraArgs) =>
        await StartNodesAsync(new Cluster(await RedisServer.StartAsync()), nodes, extraArgs);

    /// <summary>On PostgreSQL, from an empty database: the first node creates the schema.</summary>
    public static async Task<Cluster> StartOnPostgresAsync(int nodes, params string[] extraArgs) =>
        await StartNodesAsync(new Cluster(await PostgresServer.StartAsync()), nodes, extraArgs);

    private static async Task<Cluster> StartNodesAsync(Cluster cluster, int nodes, string[] extraArgs)
    {
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                await cluster.AddNodeAsync(extraArgs);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public async Task<NodeProcess> AddNodeAsync(params string[] extraArgs)
    {
        var node = await NodeProcess.StartAsync(((char)('A' + _nodes.Count)).ToString(), _storeArgs, ClusterId, extraArgs);
        _nodes.Add(node);
        await WaitUntilNodesSeeEachOtherAsync();
        return node;
    }

    /// <summary>A front-end (<c>BeaconEngine:Role=frontend</c>) on the cluster's store, named F1, F2, ...; it counts as a node.</summary>
    public async Task<NodeProcess> AddFrontendAsync(params string[] extraArgs)
    {
        var frontends = _nodes.Count(n => n.Name.StartsWith('F'));
        var node = await NodeProcess.StartAsync($"F{frontends + 1}", _storeArgs, ClusterId, [.. NodeProcess.Frontend, .. extraArgs]);
        _nodes.Add(node);
        await WaitUntilNodesSeeEachOtherAsync();
        return node;
    }

    /// <summary>Until every live node delivers to every other live node.</summary>
    public async Task WaitUntilNodesSeeEachOtherAsync(params NodeProcess[] dead)
    {
        var live = _nodes.Except(dead).ToList();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var counts = await Task.WhenAll(live.Select(async n => (await n.OtherNodesAsync()).Length));
            if (counts.All(c => c == live.Count - 1))
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Nodes see {string.Join(", ", counts)} other nodes, not {live.Count - 1}.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        Redis?.Dispose();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}
