namespace BeaconEngine.Contracts.Cluster;

/// <summary>
/// The cluster's list of server nodes, kept in memory: nodes register on start and again every few
/// seconds, so the list is rebuilt wherever this grain reactivates. Key: 0.
/// </summary>
[Alias("BeaconEngine.INodeRegistryGrain")]
public interface INodeRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or refreshes a node, tells the other nodes when it is new, and returns every live node.</summary>
    [Alias("Register")]
    Task<ServerNode[]> Register(ServerNode node);
}
