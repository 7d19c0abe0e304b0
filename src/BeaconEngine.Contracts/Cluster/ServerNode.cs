using Orleans.Runtime;

namespace BeaconEngine.Contracts.Cluster;

/// <summary>
/// A server node of the cluster as the others reach it: its name (unique to this start of the process), its silo
/// (none on a front-end, which hosts no grains and is not in Orleans' membership) and the listener the others send to.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ServerNode")]
public sealed record ServerNode(string Name, SiloAddress? Silo, INodeListener Listener)
{
    /// <summary>A front-end (<c>BeaconEngine:Role=frontend</c>): an Orleans client holding phones' connections.</summary>
    public bool IsFrontend => Silo is null;

    /// <summary>A silo's node name: its address and generation, so a restarted silo is a new node.</summary>
    public static string NameOf(SiloAddress silo) => silo.ToString();
}
