using BeaconEngine.Contracts.Cluster;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Cluster;

/// <summary>
/// The cluster's server nodes, as in Orleans' GPSTracker sample: a silo counts while membership does not declare
/// it dead; a front-end, which membership does not know, while it registers again within <see cref="FrontendLease"/>.
/// A new node is announced to the others before <see cref="Register"/> returns, so once a node has started every
/// other node can reach it.
/// </summary>
internal sealed partial class NodeRegistryGrain(IClusterMembershipService membership, TimeProvider time, ILogger<NodeRegistryGrain> logger)
    : Grain, INodeRegistryGrain
{
    /// <summary>Nodes register every 5 s; a front-end silent for four of those is taken for gone.</summary>
    internal static readonly TimeSpan FrontendLease = TimeSpan.FromSeconds(20);

    // A node that does not answer the announcement in this time is left to its next registration.
    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, Registration> _nodes = new(StringComparer.Ordinal);

    public async Task<ServerNode[]> Register(ServerNode node)
    {
        var isNew = !_nodes.TryGetValue(node.Name, out var known) || !known.Node.Listener.Equals(node.Listener);
        _nodes[node.Name] = new Registration(node, time.GetTimestamp());
        var live = Live();
        if (isNew)
        {
            await Task.WhenAll(live.Where(n => n.Name != node.Name).Select(n => AnnounceAsync(n, live)));
        }

        return live;
    }

    private ServerNode[] Live()
    {
        var snapshot = membership.CurrentSnapshot;
        var now = time.GetTimestamp();
        foreach (var (name, registration) in _nodes.ToList())
        {
            var gone = registration.Node.Silo is { } silo
                ? snapshot.GetSiloStatus(silo) == SiloStatus.Dead
                : time.GetElapsedTime(registration.At, now) > FrontendLease;
            if (gone)
            {
                _nodes.Remove(name);
            }
        }

        return [.. _nodes.Values.Select(r => r.Node)];
    }

    private async Task AnnounceAsync(ServerNode to, ServerNode[] nodes)
    {
        try
        {
            await to.Listener.NodesChanged(nodes).WaitAsync(AnnounceTimeout);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAnnounceFailed(logger, ex, to.Name);
        }
    }

    private sealed record Registration(ServerNode Node, long At);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} did not take the new node list; it catches up when it registers again")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception ex, string node);
}
