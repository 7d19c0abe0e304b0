using System.Text.Json;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Proximity.Uplinks;
using BeaconEngine.Server.Api;

namespace BeaconEngine.Server.Ingestion;

/// <summary>A batch's answer, and whether it was replayed from an earlier delivery of the same batch id.</summary>
public sealed record BatchOutcome(SightingsResponse Response, bool Replayed);

/// <summary>
/// Every gateway batch, over HTTP or MQTT, passes here: it is read once (<see cref="SightingIngestor"/>, so every
/// uplink gets the same checks) and handed to the gateway's grain in one call, which answers a batch id already
/// processed with its first answer, fans the sightings out to the shoppers and keeps the gateway's health.
/// </summary>
public sealed class BatchIngestor(SightingIngestor ingestor, IGrainFactory grains, IngestionMetrics metrics)
{
    public Task<BatchOutcome> IngestAsync(string storeId, string gatewayId, string? batchId, JsonElement body) =>
        RunAsync(storeId, gatewayId, () => ingestor.ReadAsync(storeId, gatewayId, batchId, body));

    public Task<BatchOutcome> IngestAsync(string storeId, string gatewayId, string? batchId, UplinkDecodeResult decoded) =>
        RunAsync(storeId, gatewayId, () => ingestor.ReadAsync(storeId, gatewayId, batchId, decoded));

    public Task RecordHeartbeatAsync(string storeId, string gatewayId, GatewayHeartbeat heartbeat) =>
        grains.GetGrain<IGatewayGrain>(GatewayKey.Of(storeId, gatewayId)).RecordHeartbeat(heartbeat);

    private async Task<BatchOutcome> RunAsync(string storeId, string gatewayId, Func<Task<GatewayBatch>> read)
    {
        // One span per batch, under the HTTP request or MQTT message; Orleans carries it into the grain calls below.
        using var activity = EngineTelemetry.Source.StartActivity("ingest sightings batch");
        activity?.SetTag("beaconengine.store.id", storeId);
        activity?.SetTag("beaconengine.gateway.id", gatewayId);

        // Coupons this batch causes are timed from here (the context flows into every grain call below).
        CouponLatency.BatchReceived();
        var batch = await read();
        var admission = await grains.GetGrain<IGatewayGrain>(GatewayKey.Of(storeId, gatewayId)).Ingest(batch);
        switch (admission.Kind)
        {
            case BatchAdmissionKind.Duplicate:
                metrics.DuplicateBatch();
                return new BatchOutcome(ToResponse(admission.Receipt!), Replayed: true);
            case BatchAdmissionKind.InFlight:
                throw Problems.Conflict($"Batch '{batch.BatchId}' is being processed right now; send it again in a moment.");
        }

        var response = ToResponse(admission.Receipt!);
        metrics.Batch(response.Accepted, response.Dropped, response.Rejected.Count);
        activity?.SetTag("beaconengine.sightings.accepted", response.Accepted);
        return new BatchOutcome(response, Replayed: false);
    }

    private static SightingsResponse ToResponse(BatchReceipt receipt) =>
        new(receipt.Accepted, receipt.Dropped, [.. receipt.Rejected.Select(r => new RejectedSighting(r.Index, r.Error))]);
}
