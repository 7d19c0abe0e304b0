using System.Diagnostics.Metrics;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Counters of this node's uplinks, kept both as plain totals (for <c>/metrics</c>) and as
/// <see cref="System.Diagnostics.Metrics"/> instruments of the meter <see cref="MeterName"/> (for OpenTelemetry).
/// </summary>
public sealed class IngestionMetrics : IDisposable
{
    public const string MeterName = "BeaconEngine.Ingestion";

    private readonly Meter _meter;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _sightings;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _mqttMessages;
    private readonly Counter<long> _mqttBad;
    private long _batchCount;
    private long _accepted;
    private long _dropped;
    private long _rejected;
    private long _duplicateCount;
    private long _mqttMessageCount;
    private long _mqttBadCount;
    private long _mqttConnected;

    public IngestionMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _batches = _meter.CreateCounter<long>("beaconengine.ingestion.batches", description: "Gateway batches processed");
        _sightings = _meter.CreateCounter<long>("beaconengine.ingestion.sightings", description: "Items of processed batches, by outcome");
        _duplicates = _meter.CreateCounter<long>("beaconengine.ingestion.duplicate_batches", description: "Retried batches answered without counting");
        _mqttMessages = _meter.CreateCounter<long>("beaconengine.mqtt.messages", description: "MQTT messages received");
        _mqttBad = _meter.CreateCounter<long>("beaconengine.mqtt.bad_messages", description: "MQTT messages that yielded nothing (unreadable, unknown gateway)");
        _meter.CreateObservableGauge("beaconengine.mqtt.connected", () => Interlocked.Read(ref _mqttConnected), description: "1 while subscribed to the broker");
    }

    public long Batches => Interlocked.Read(ref _batchCount);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long DuplicateBatches => Interlocked.Read(ref _duplicateCount);

    public long MqttMessages => Interlocked.Read(ref _mqttMessageCount);

    public long MqttBadMessages => Interlocked.Read(ref _mqttBadCount);

    public bool MqttConnected => Interlocked.Read(ref _mqttConnected) == 1;

    public void Batch(int accepted, int dropped, int rejected)
    {
        Interlocked.Increment(ref _batchCount);
        Interlocked.Add(ref _accepted, accepted);
        Interlocked.Add(ref _dropped, dropped);
        Interlocked.Add(ref _rejected, rejected);
        _batches.Add(1);
        _sightings.Add(accepted, new KeyValuePair<string, object?>("outcome", "accepted"));
        _sightings.Add(dropped, new KeyValuePair<string, object?>("outcome", "dropped"));
        _sightings.Add(rejected, new KeyValuePair<string, object?>("outcome", "rejected"));
    }

    public void DuplicateBatch()
    {
        Interlocked.Increment(ref _duplicateCount);
        _duplicates.Add(1);
    }

    public void MqttMessage()
    {
        Interlocked.Increment(ref _mqttMessageCount);
        _mqttMessages.Add(1);
    }

    public void MqttBadMessage(string reason)
    {
        Interlocked.Increment(ref _mqttBadCount);
        _mqttBad.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void MqttConnection(bool connected) => Interlocked.Exchange(ref _mqttConnected, connected ? 1 : 0);

    public void Dispose() => _meter.Dispose();
}
