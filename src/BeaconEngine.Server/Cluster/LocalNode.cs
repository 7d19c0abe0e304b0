using BeaconEngine.Contracts.Cluster;

namespace BeaconEngine.Server.Cluster;

/// <summary>This node as the cluster names it, and what it can tell of the other nodes' death.</summary>
public interface ILocalNode
{
    /// <summary>Unique to this start of the process (<see cref="ServerNode.Name"/>).</summary>
    string Name { get; }

    /// <summary>This node's silo; none on a front-end.</summary>
    SiloAddress? Silo { get; }

    /// <summary>True when this node reads Orleans' membership itself (a silo). A front-end learns of a silo's death from the node registry.</summary>
    bool SeesMembership { get; }

    /// <summary>True when membership has declared <paramref name="silo"/> dead (always false where membership is not seen).</summary>
    bool IsDeclaredDead(SiloAddress silo);
}

/// <summary>A silo: grains, and the API too.</summary>
public sealed class SiloLocalNode(ILocalSiloDetails local, IClusterMembershipService membership) : ILocalNode
{
    public string Name => ServerNode.NameOf(local.SiloAddress);

    public SiloAddress? Silo => local.SiloAddress;

    public bool SeesMembership => true;

    public bool IsDeclaredDead(SiloAddress silo) => membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;
}

/// <summary>A front-end (<c>BeaconEngine:Role=frontend</c>): an Orleans client, named by its host, process and a random part.</summary>
public sealed class FrontendLocalNode : ILocalNode
{
    public string Name { get; } = $"F{Environment.MachineName}:{Environment.ProcessId}:{Random.Shared.Next():x8}";

    public SiloAddress? Silo => null;

    public bool SeesMembership => false;

    public bool IsDeclaredDead(SiloAddress silo) => false;
}
