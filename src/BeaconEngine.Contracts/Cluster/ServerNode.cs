using Orleans.Runtime;

namespace BeaconEngine.Contracts.Cluster;

/// <summary>A server node of the cluster: its silo and the listener the other nodes send to.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ServerNode")]
public sealed record ServerNode(SiloAddress Silo, INodeListener Listener);
