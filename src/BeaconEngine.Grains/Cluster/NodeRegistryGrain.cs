using BeaconEngine.Contracts.Cluster;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Cluster;

/// <summary>
/// The cluster's server nodes, as in Orleans' GPSTracker sample: a node counts while membership does
/// not declare its silo dead. A new node is announced to the others before <see cref="Register"/>
/// returns, so once a node has started every other node can reach it.
/// </summary>
internal sealed partial class NodeRegistryGrain(IClusterMembershipService membership, ILogger<NodeRegistryGrain> logger)
    : Grain, INodeRegistryGrain
{
    // A node that does not answer the announcement in this time is left to its next registration.
    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<SiloAddress, ServerNode> _nodes = [];

    public async Task<ServerNode[]> Register(ServerNode node)
    {
        var isNew = !_nodes.TryGetValue(node.Silo, out var known) || !known.Listener.Equals(node.Listener);
        _nodes[node.Silo] = node;
        var live = Live();
        if (isNew)
        {
            await Task.WhenAll(live.Where(n => !n.Silo.Equals(node.Silo)).Select(n => AnnounceAsync(n, live)));
        }

        return live;
    }

    private ServerNode[] Live()
    {
        var snapshot = membership.CurrentSnapshot;
        foreach (var silo in _nodes.Keys.Where(s => snapshot.GetSiloStatus(s) == SiloStatus.Dead).ToList())
        {
            _nodes.Remove(silo);
        }

        return [.. _nodes.Values];
    }

    private async Task AnnounceAsync(ServerNode to, ServerNode[] nodes)
    {
        try
        {
            await to.Listener.NodesChanged(nodes).WaitAsync(AnnounceTimeout);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAnnounceFailed(logger, ex, to.Silo);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Silo} did not take the new node list; it catches up when it registers again")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception ex, SiloAddress silo);
}
