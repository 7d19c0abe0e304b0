using System.Diagnostics.Metrics;
using BeaconEngine.Grains;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// This node's uplinks as instruments of the meter <see cref="EngineTelemetry.IngestionMeterName"/>. They are
/// kept nowhere else: <c>/metrics</c> and OTLP read them through OpenTelemetry.
/// </summary>
public sealed class IngestionMetrics
{
    private readonly Counter<long> _batches;
    private readonly Counter<long> _sightings;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _mqttMessages;
    private readonly Counter<long> _mqttBad;

    // The broker connection's state: the gauge reads it, and so does the readiness check.
    private int _mqttConnected;

    public IngestionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(EngineTelemetry.IngestionMeterName);
        _batches = meter.CreateCounter<long>("beaconengine.ingestion.batches", description: "Gateway batches processed by this node");
        _sightings = meter.CreateCounter<long>("beaconengine.ingestion.sightings", description: "Items of processed batches by outcome");
        _duplicates = meter.CreateCounter<long>("beaconengine.ingestion.duplicate_batches", description: "Retried batches answered without being counted again");
        _refused = meter.CreateCounter<long>("beaconengine.ingestion.refused_batches", description: "Batches refused (503) because the node was at its bound of sightings in flight");
        _mqttMessages = meter.CreateCounter<long>("beaconengine.mqtt.messages", description: "MQTT messages received");
        _mqttBad = meter.CreateCounter<long>("beaconengine.mqtt.bad_messages", description: "MQTT messages that yielded nothing (unreadable, unknown gateway)");
        meter.CreateObservableGauge("beaconengine.mqtt.connected", () => Volatile.Read(ref _mqttConnected), description: "1 while subscribed to the MQTT broker");
    }

    public bool MqttConnected => Volatile.Read(ref _mqttConnected) == 1;

    public void Batch(int accepted, int dropped, int rejected)
    {
        _batches.Add(1);
        _sightings.Add(accepted, new KeyValuePair<string, object?>("outcome", "accepted"));
        _sightings.Add(dropped, new KeyValuePair<string, object?>("outcome", "dropped"));
        _sightings.Add(rejected, new KeyValuePair<string, object?>("outcome", "rejected"));
    }

    public void DuplicateBatch() => _duplicates.Add(1);

    /// <summary>A batch refused at the node's bound; its items count under <c>outcome=refused</c>.</summary>
    public void Refused(int items)
    {
        _refused.Add(1);
        _sightings.Add(items, new KeyValuePair<string, object?>("outcome", "refused"));
    }

    public void MqttMessage() => _mqttMessages.Add(1);

    public void MqttBadMessage(string reason) => _mqttBad.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void MqttConnection(bool connected) => Volatile.Write(ref _mqttConnected, connected ? 1 : 0);
}
