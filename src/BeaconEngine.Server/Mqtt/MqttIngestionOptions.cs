namespace BeaconEngine.Server.Mqtt;

/// <summary>Configuration section <c>BeaconEngine:Mqtt</c>. MQTT ingestion is off until a connection string is set.</summary>
public sealed class MqttIngestionOptions
{
    public const string Section = "BeaconEngine:Mqtt";

    /// <summary>
    /// The broker, as <c>mqtt://[user:password@]host[:port]</c> (<c>mqtts://</c> for TLS, port 8883 by default). Empty:
    /// MQTT ingestion is off, which is the embedded default.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The server's client id; its persistent session keeps QoS 1 messages while the server is down.</summary>
    public string ClientId { get; set; } = "beaconengine-server";

    /// <summary>Topic filters to subscribe, comma separated.</summary>
    public string Topics { get; set; } = "beaconengine/+/+/sightings,beaconengine/+/+/heartbeat,espresense/devices/+/+,home/+/BTtoMQTT/#";

    /// <summary>
    /// With several server nodes, the name of a shared subscription group (<c>$share/&lt;group&gt;/...</c>), so each
    /// message is processed by one node only. Empty for one node.
    /// </summary>
    public string? SharedGroup { get; set; }

    /// <summary>How long the broker keeps the server's session (and its QoS 1 messages) while it is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Vendor gateways (ESPresense rooms, OpenMQTTGateway names) by the name they publish under, each mapped to a
    /// registered gateway as <c>storeId/gatewayId</c>.
    /// </summary>
    public Dictionary<string, string> Gateways { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A vendor gateway not listed in <see cref="Gateways"/> is the gateway of that id in this store, if set.</summary>
    public string? DefaultStoreId { get; set; }

    public IEnumerable<string> TopicFilters() =>
        Topics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => string.IsNullOrEmpty(SharedGroup) ? t : $"$share/{SharedGroup}/{t}");
}
