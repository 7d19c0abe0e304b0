using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Stores;

namespace BeaconEngine.Server.Cluster;

/// <summary>
/// This node's <see cref="StoreDirectory"/>, plus: a change the store grain publishes here is announced
/// to every other node, so their cached views are read again on next use instead of up to 5 s later.
/// </summary>
public sealed class ClusterStoreDirectory(StoreDirectory local, ClusterNodes nodes) : IStoreDirectory
{
    public ValueTask<StoreView?> GetAsync(string storeId) => local.GetAsync(storeId);

    public void Publish(StoreSnapshot snapshot)
    {
        local.Publish(snapshot);
        foreach (var node in nodes.Others)
        {
            node.Listener.StoreChanged(snapshot.StoreId, snapshot.Version).Ignore();
        }
    }
}
