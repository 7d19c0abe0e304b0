using System.Diagnostics.Metrics;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Gateways;

namespace BeaconEngine.Server.Observability;

/// <summary>
/// The health of the gateways whose grains this node hosts, as observable instruments of the meter
/// <see cref="EngineTelemetry.GatewaysMeterName"/>, one series per gateway (labels <c>store</c> and
/// <c>gateway</c>). Read from <see cref="IGatewayHealthBoard"/> when an exporter collects, so nothing is kept twice.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly IGatewayHealthBoard _board;
    private readonly TimeProvider _time;

    public GatewayMetrics(IMeterFactory meters, IGatewayHealthBoard board, TimeProvider time)
    {
        _board = board;
        _time = time;
        var meter = meters.Create(EngineTelemetry.GatewaysMeterName);

        // Names and units are chosen so the Prometheus exporter writes the names the hand-written
        // exposition used (unit "s" becomes _seconds, a counter gains _total).
        meter.CreateObservableGauge("beaconengine.gateway.last_seen", () => Observe(h => h.LastSeenAt is { } seen ? (_time.GetUtcNow() - seen).TotalSeconds : null),
            "s", "Seconds since the gateway was last heard from");
        meter.CreateObservableGauge("beaconengine.gateway.sightings_per_second", () => Observe(h => h.SightingsPerSecond),
            description: "Valid sightings per second over the last 10 s");
        meter.CreateObservableCounter("beaconengine.gateway.sightings", () => Observe(h => h.Sightings),
            description: "Valid sightings received, duplicates not counted");
        meter.CreateObservableCounter("beaconengine.gateway.duplicate_batches", () => Observe(h => h.DuplicateBatches),
            description: "Retried batches not counted again");
        meter.CreateObservableCounter("beaconengine.gateway.out_of_order_batches", () => Observe(h => h.OutOfOrderBatches),
            description: "Batches older than what the gateway sent before");
        meter.CreateObservableGauge("beaconengine.gateway.clock_skew", () => Observe(h => h.ClockSkewMs),
            "ms", "Server clock minus agent clock at the last heartbeat");
        meter.CreateObservableGauge("beaconengine.gateway.queue_depth", () => Observe(h => h.QueueDepth),
            description: "Batches waiting in the agent's queue");
        meter.CreateObservableCounter("beaconengine.gateway.agent_dropped", () => Observe(h => h.AgentDropped),
            description: "Sightings the agent dropped from a full queue");
    }

    private IEnumerable<Measurement<double>> Observe(Func<GatewayHealth, double?> value)
    {
        foreach (var (storeId, gatewayId, health) in _board.Snapshot())
        {
            if (value(health) is { } v)
            {
                yield return new Measurement<double>(v, new KeyValuePair<string, object?>("store", storeId), new KeyValuePair<string, object?>("gateway", gatewayId));
            }
        }
    }
}
