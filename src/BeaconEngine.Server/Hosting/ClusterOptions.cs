namespace BeaconEngine.Server.Hosting;

/// <summary>How this node runs: alone on its embedded default, or as one node of a cluster on a shared store.</summary>
public enum ClusterMode
{
    /// <summary>One process, localhost clustering, grain state in SQLite.</summary>
    Embedded,

    /// <summary>Orleans membership and grain state in Redis; any number of nodes.</summary>
    Redis,

    /// <summary>Orleans membership and grain state in PostgreSQL (synchronous commits); any number of nodes.</summary>
    Postgres,
}

/// <summary>Configuration section <c>BeaconEngine:Cluster</c>.</summary>
public sealed class BeaconClusterOptions
{
    public const string Section = "BeaconEngine:Cluster";

    /// <summary>Orleans' service id: names the data in the store, so it stays the same across deployments.</summary>
    public const string ServiceId = "beaconengine";

    public ClusterMode Mode { get; set; } = ClusterMode.Embedded;

    /// <summary>StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c>. Required in Redis mode.</summary>
    public string? Redis { get; set; }

    /// <summary>Npgsql connection string, e.g. <c>Host=10.0.0.5;Database=beaconengine;Username=beacon;Password=...</c>. Required in PostgreSQL mode.</summary>
    public string? Postgres { get; set; }

    /// <summary>Nodes with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "beaconengine";

    /// <summary>
    /// The silo's Orleans gateway port, which front-ends (<c>BeaconEngine:Role=frontend</c>) connect to; 0 (none) when
    /// no front-end does. Front-ends find the silos' gateways in the membership table.
    /// </summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other nodes reach this one at; empty means this machine's first IPv4 address.</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>True when this node is one of a cluster (any mode but embedded).</summary>
    public bool IsCluster => Mode != ClusterMode.Embedded;
}
