namespace BeaconEngine.Gateway;

/// <summary>The agent's configuration: a JSON file (<c>--config</c>) with command-line overrides (<c>--Uplink:Url=...</c>).</summary>
public sealed class AgentOptions
{
    /// <summary>The store the gateway is registered in.</summary>
    public string StoreId { get; set; } = "";

    /// <summary>The gateway's id, as registered by the operator.</summary>
    public string GatewayId { get; set; } = "";

    public SourceOptions Source { get; set; } = new();

    public UplinkOptions Uplink { get; set; } = new();

    public BatchOptions Batch { get; set; } = new();

    public QueueOptions Queue { get; set; } = new();

    public RetryOptions Retry { get; set; } = new();

    /// <summary>How often the agent reports its clock, queue depth and drops.</summary>
    public TimeSpan HeartbeatEvery { get; set; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(GatewayId))
        {
            throw new ArgumentException("GatewayId is required: the id the operator registered this gateway under.");
        }

        if (Uplink.Kind == UplinkKind.Mqtt && string.IsNullOrWhiteSpace(StoreId))
        {
            throw new ArgumentException("StoreId is required with the MQTT uplink: it is part of the topic.");
        }

        if (Uplink.Kind == UplinkKind.Http && string.IsNullOrWhiteSpace(Uplink.Key))
        {
            throw new ArgumentException("Uplink:Key is required with the HTTP uplink: the gateway key the operator was given.");
        }

        if (Batch.MaxSize is < 1 or > 5000)
        {
            throw new ArgumentException("Batch:MaxSize must be 1 to 5000 (the server's batch limit).");
        }
    }
}

public enum SourceKind
{
    /// <summary>The radio, through BlueZ's raw HCI socket (Linux).</summary>
    Hci,

    /// <summary>A recorded file replayed at real or accelerated speed.</summary>
    File,

    /// <summary>JSON Lines on standard input, one sighting per line.</summary>
    Stdin,
}

public enum RecordingFormat
{
    /// <summary>From the file name: .jsonl/.ndjson is JSON Lines; a .csv with rssi_N columns is Kolakowski, else plain CSV.</summary>
    Auto,
    JsonLines,
    Csv,
    Kolakowski,
}

public enum ReplayClock
{
    /// <summary>Each sighting is stamped when it is replayed.</summary>
    Live,

    /// <summary>The recording keeps its spacing and is moved to end when the replay starts: a backlog, as after an outage.</summary>
    Shifted,

    /// <summary>The recorded times as they are.</summary>
    Original,
}

public sealed class SourceOptions
{
    public SourceKind Kind { get; set; } = SourceKind.Hci;

    /// <summary>HCI: the adapter number (0 for hci0).</summary>
    public int Device { get; set; }

    /// <summary>HCI: active scanning (asks for scan responses) instead of passive.</summary>
    public bool ActiveScan { get; set; }

    /// <summary>Only iBeacon advertisements are sent (shoppers' phones); other BLE traffic stays on the box.</summary>
    public bool IBeaconOnly { get; set; } = true;

    /// <summary>File: the recording.</summary>
    public string? Path { get; set; }

    public RecordingFormat Format { get; set; } = RecordingFormat.Auto;

    /// <summary>File: 1 is real time, 10 ten times faster, 0 as fast as the agent can.</summary>
    public double Speed { get; set; } = 1;

    public ReplayClock Clock { get; set; } = ReplayClock.Live;

    /// <summary>Kolakowski recordings: which receiver (rssi_N column) this gateway plays.</summary>
    public int Anchor { get; set; } = 1;

    /// <summary>Kolakowski recordings: the iBeacon the tag is, as <c>uuid:major:minor</c>.</summary>
    public string? Identity { get; set; }

    /// <summary>File and stdin: stop once the recording is sent and the queue is empty.</summary>
    public bool ExitWhenDone { get; set; } = true;
}

public enum UplinkKind
{
    Http,
    Mqtt,
}

public enum UplinkEncoding
{
    Json,
    MessagePack,
}

public sealed class UplinkOptions
{
    public UplinkKind Kind { get; set; } = UplinkKind.Http;

    /// <summary>HTTP: the engine's base URL.</summary>
    public string Url { get; set; } = "http://localhost:5080";

    /// <summary>HTTP: the gateway key (<c>gw_...</c>).</summary>
    public string? Key { get; set; }

    public UplinkEncoding Encoding { get; set; } = UplinkEncoding.Json;

    /// <summary>MQTT: the broker, <c>mqtt://user:password@host:1883</c>; the broker's user is the gateway's identity.</summary>
    public string? Mqtt { get; set; }

    /// <summary>MQTT: the base of the topics <c>&lt;base&gt;/&lt;store&gt;/&lt;gateway&gt;/sightings|heartbeat</c>.</summary>
    public string TopicBase { get; set; } = "beaconengine";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class BatchOptions
{
    /// <summary>A batch is sent when it holds this many sightings...</summary>
    public int MaxSize { get; set; } = 500;

    /// <summary>...or when its first sighting is this old.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class QueueOptions
{
    /// <summary>The store-and-forward folder; it survives a restart of the agent.</summary>
    public string Path { get; set; } = "queue";

    /// <summary>At most this many batches wait; past it the oldest is dropped and counted.</summary>
    public int MaxBatches { get; set; } = 20_000;

    /// <summary>At most this many bytes wait; past it the oldest batch is dropped and counted.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;
}

public sealed class RetryOptions
{
    public TimeSpan Initial { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan Max { get; set; } = TimeSpan.FromSeconds(30);
}
