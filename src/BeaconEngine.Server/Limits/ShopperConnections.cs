using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Limits;

/// <summary>
/// The shopper hub's open connections on this node, per shopper. A shopper holds at most
/// <see cref="ServerLimitOptions.MaxHubConnectionsPerShopper"/> (a phone, a tablet, a reconnect in flight);
/// a new connection past it closes the oldest, so one token cannot hold thousands of WebSockets. Erasure
/// closes them all.
/// </summary>
public sealed class ShopperConnections(ServerLimitOptions limits)
{
    private readonly Dictionary<string, List<HubCallerContext>> _byShopper = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Connections of <paramref name="shopperId"/> open on this node.</summary>
    public int Count(string shopperId)
    {
        lock (_lock)
        {
            return _byShopper.TryGetValue(shopperId, out var list) ? list.Count : 0;
        }
    }

    public void Add(string shopperId, HubCallerContext connection)
    {
        List<HubCallerContext> evicted = [];
        lock (_lock)
        {
            if (!_byShopper.TryGetValue(shopperId, out var list))
            {
                _byShopper[shopperId] = list = [];
            }

            list.Add(connection);
            while (list.Count > limits.MaxHubConnectionsPerShopper)
            {
                evicted.Add(list[0]);
                list.RemoveAt(0);
            }
        }

        foreach (var oldest in evicted)
        {
            oldest.Abort();
        }
    }

    public void Remove(string shopperId, HubCallerContext connection)
    {
        lock (_lock)
        {
            if (_byShopper.TryGetValue(shopperId, out var list) && list.Remove(connection) && list.Count == 0)
            {
                _byShopper.Remove(shopperId);
            }
        }
    }

    /// <summary>Closes every connection of the shopper on this node (after erasure).</summary>
    public void CloseAll(string shopperId)
    {
        List<HubCallerContext>? closing;
        lock (_lock)
        {
            _byShopper.Remove(shopperId, out closing);
        }

        foreach (var connection in closing ?? [])
        {
            connection.Abort();
        }
    }
}
