namespace BeaconEngine.Server.Limits;

/// <summary>
/// What a stranger can hold of the server (configuration section <c>BeaconEngine:Limits</c>): connections,
/// connections per address, hub connections per shopper, header and idle timeouts, and the pace of the
/// lookups a key or identity nobody holds would cost. Past a limit the server refuses (503 or a closed
/// connection, 429 for lookups), so a flood is the flood's problem and the process stays up.
/// </summary>
public sealed class ServerLimitOptions
{
    public const string Section = "BeaconEngine:Limits";

    /// <summary>Open connections of every kind (HTTP and WebSockets) the server holds at once.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Open connections from one client address. A store's phones may share its Wi-Fi's address, hence generous.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 1_000;

    /// <summary>Hub connections one shopper's token holds at once; a new one past it closes that shopper's oldest.</summary>
    public int MaxHubConnectionsPerShopper { get; set; } = 3;

    /// <summary>Time a client has to send a request's headers, from the first byte.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time an idle keep-alive connection is kept open.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The most sightings of gateway batches this node works on at once. Below it the bound follows the node's pace
    /// (two seconds of what it finished in the last second, at least 10,000; see <c>IngestionGate</c>); a batch that
    /// would pass the bound answers 503 with <c>Retry-After</c> and counts nothing (MQTT batches wait for room). About a
    /// second of what one node of two cores ingests (benchmarks/RESULTS.md), so a node that keeps up never meets it,
    /// and one offered more than it can do (a cold start at full load, a flood) refuses the excess instead of queueing
    /// it until every call times out.
    /// </summary>
    public int MaxSightingsInFlight { get; set; } = 50_000;

    public void Check()
    {
        if (MaxConnections < 1 || MaxConnectionsPerAddress < 1 || MaxHubConnectionsPerShopper < 1 || MaxSightingsInFlight < 1)
        {
            throw new InvalidOperationException($"{Section}: MaxConnections, MaxConnectionsPerAddress, MaxHubConnectionsPerShopper and MaxSightingsInFlight must be at least 1.");
        }

        if (RequestHeadersTimeout <= TimeSpan.Zero || KeepAliveTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}: RequestHeadersTimeout and KeepAliveTimeout must be positive times (e.g. 00:00:10).");
        }
    }
}
