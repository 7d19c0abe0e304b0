using System.Collections.Concurrent;
using BeaconEngine.Contracts.Cluster;

namespace BeaconEngine.Server.Cluster;

/// <summary>Tells the cluster which node holds a shopper's live connections (the shopper hub calls it).</summary>
public interface IShopperPresence
{
    Task ConnectedAsync(string shopperId);

    Task DisconnectedAsync(string shopperId);
}

/// <summary>One process: every connection is here already; there is nothing to tell.</summary>
public sealed class LocalShopperPresence : IShopperPresence
{
    public Task ConnectedAsync(string shopperId) => Task.CompletedTask;

    public Task DisconnectedAsync(string shopperId) => Task.CompletedTask;
}

/// <summary>
/// A cluster node's connections, counted per shopper: the shopper's <see cref="IShopperPresenceGrain"/> hears of
/// this node on every connection and of its leaving on the last disconnection. When a node dies, its presences go
/// with it: every node then tells the presences of its own connected shoppers again.
/// </summary>
public sealed partial class ClusterShopperPresence : IShopperPresence
{
    private readonly ConcurrentDictionary<string, int> _connections = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly ClusterNodes _nodes;
    private readonly ILogger<ClusterShopperPresence> _logger;

    public ClusterShopperPresence(IGrainFactory grains, ClusterNodes nodes, ILogger<ClusterShopperPresence> logger)
    {
        _grains = grains;
        _nodes = nodes;
        _logger = logger;
        nodes.NodeLost += () => _ = ReattachAllAsync();
    }

    public Task ConnectedAsync(string shopperId)
    {
        _connections.AddOrUpdate(shopperId, 1, (_, n) => n + 1);
        return Presence(shopperId).Attach(_nodes.SelfNode);
    }

    public Task DisconnectedAsync(string shopperId)
    {
        var left = _connections.AddOrUpdate(shopperId, 0, (_, n) => n - 1);
        if (left > 0)
        {
            return Task.CompletedTask;
        }

        _connections.TryRemove(new KeyValuePair<string, int>(shopperId, 0));
        return Presence(shopperId).Detach(_nodes.SelfNode);
    }

    private IShopperPresenceGrain Presence(string shopperId) => _grains.GetGrain<IShopperPresenceGrain>(shopperId);

    private async Task ReattachAllAsync()
    {
        foreach (var shopperId in _connections.Keys)
        {
            try
            {
                await Presence(shopperId).Attach(_nodes.SelfNode);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogReattachFailed(_logger, ex, shopperId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell shopper {ShopperId}'s presence about this node after a node was lost; the app's next reconnect does")]
    private static partial void LogReattachFailed(ILogger logger, Exception ex, string shopperId);
}
