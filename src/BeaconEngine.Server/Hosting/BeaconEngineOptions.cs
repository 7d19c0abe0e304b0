namespace BeaconEngine.Server.Hosting;

/// <summary>What a node runs (<c>BeaconEngine:Role</c>).</summary>
public enum NodeRole
{
    /// <summary>An Orleans silo with the API, the shopper hub and MQTT in the same process: the default, and all one store needs.</summary>
    Silo,

    /// <summary>
    /// The API, the shopper hub and MQTT on an Orleans client of a cluster's silos (PostgreSQL or Redis mode):
    /// it holds phones' connections and no grains, so connection-heavy front-ends and state-heavy silos scale apart.
    /// </summary>
    Frontend,
}

/// <summary>Configuration section <c>BeaconEngine</c>.</summary>
public sealed class BeaconEngineOptions
{
    public const string Section = "BeaconEngine";

    /// <summary>Folder for the SQLite file and the generated admin key; relative paths are from the working directory.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>The operator's key. When empty, one is made on first start and kept in <see cref="DataPath"/>.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// The key (32 bytes, base64) that seals shoppers' rotation secrets in storage. When empty, one is made on first
    /// start and kept in <see cref="DataPath"/> as <c>rotation.key</c>, beside the database, never in it. Every node of
    /// a cluster needs the same key: configure it there.
    /// </summary>
    public string? RotationKey { get; set; }

    /// <summary>Silo (the default) or front-end; see <see cref="NodeRole"/> and docs/cluster.md.</summary>
    public NodeRole Role { get; set; } = NodeRole.Silo;

    /// <summary>Port of the Orleans silo (silo-to-silo traffic); the embedded mode binds it on loopback only.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Seed a demo store, brands, gateways, offers and a shopper on start (also: the <c>--demo</c> switch).</summary>
    public bool Demo { get; set; }

    /// <summary>
    /// Serve the benchmark and diagnostic routes (memory with a forced full collection, coupon latency, the
    /// floor) for the simulator (also: the <c>--diagnostics</c> switch). Off by default: they answer 404.
    /// </summary>
    public bool Diagnostics { get; set; }

    /// <summary>Serve the bare-transport floor route for the simulator (also: the <c>--baseline</c> switch); needs <see cref="Diagnostics"/>. Off by default.</summary>
    public bool Baseline { get; set; }

    public string DatabasePath => Path.Combine(DataPath, "beaconengine.db");
}
