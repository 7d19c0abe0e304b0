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
/// <remarks>
/// A batch takes room at the node's <see cref="IngestionGate"/> for the sightings it hands to shoppers and walks, from
/// the grain call to its answer. Over HTTP a batch that finds no room is refused (503, <c>Retry-After</c>, nothing
/// counted, so the same batch sent again is processed afresh); with <paramref name="waitForRoom"/> (MQTT, which cannot
/// be told to retry) it waits.
/// </remarks>
public sealed class BatchIngestor(SightingIngestor ingestor, IGrainFactory grains, IngestionMetrics metrics, IngestionGate gate)
{
    /// <summary>Seconds a refused gateway is told to wait: about the time a node at its bound needs to work off a second of sightings.</summary>
    public const int BusyRetryAfterSeconds = 1;

    public Task<BatchOutcome> IngestAsync(string storeId, string gatewayId, string? batchId, JsonElement body, bool waitForRoom = false) =>
        RunAsync(storeId, gatewayId, waitForRoom, () => ingestor.ReadAsync(storeId, gatewayId, batchId, body));

    public Task<BatchOutcome> IngestAsync(string storeId, string gatewayId, string? batchId, UplinkDecodeResult decoded, bool waitForRoom = false) =>
        RunAsync(storeId, gatewayId, waitForRoom, () => ingestor.ReadAsync(storeId, gatewayId, batchId, decoded));

    public Task RecordHeartbeatAsync(string storeId, string gatewayId, GatewayHeartbeat heartbeat) =>
        grains.GetGrain<IGatewayGrain>(GatewayKey.Of(storeId, gatewayId)).RecordHeartbeat(heartbeat);

    private async Task<BatchOutcome> RunAsync(string storeId, string gatewayId, bool waitForRoom, Func<Task<GatewayBatch>> read)
    {
        // One span per batch, under the HTTP request or MQTT message; Orleans carries it into the grain calls below.
        using var activity = EngineTelemetry.Source.StartActivity("ingest sightings batch");
        activity?.SetTag("beaconengine.store.id", storeId);
        activity?.SetTag("beaconengine.gateway.id", gatewayId);

        // Coupons this batch causes are timed from here (the context flows into every grain call below).
        CouponLatency.BatchReceived();
        var batch = await read();
        var work = Work(batch);
        if (waitForRoom)
        {
            await gate.EnterAsync(work);
        }
        else if (!gate.TryEnter(work))
        {
            metrics.Refused(batch.Items);
            activity?.SetTag("beaconengine.ingestion.refused", true);
            throw Problems.Busy(
                $"This node is working on {gate.InFlight:N0} sightings, its bound is {gate.Limit:N0} (BeaconEngine:Limits:MaxSightingsInFlight), and this batch's " +
                $"{work:N0} would pass it. Nothing of the batch was counted: send the same batch again in {BusyRetryAfterSeconds} s (Retry-After); a batch sent again with its batchId is never counted twice.",
                BusyRetryAfterSeconds);
        }

        BatchAdmission admission;
        try
        {
            admission = await grains.GetGrain<IGatewayGrain>(GatewayKey.Of(storeId, gatewayId)).Ingest(batch);
        }
        finally
        {
            gate.Exit(work);
        }

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

    // What the batch hands on: the sightings of shoppers and walks (items of nobody cost nothing downstream).
    private static int Work(GatewayBatch batch)
    {
        var work = 0;
        foreach (var shopper in batch.Shoppers)
        {
            work += shopper.Sightings.Length;
        }

        foreach (var walk in batch.Walks)
        {
            work += walk.Sightings.Length;
        }

        return work;
    }

    private static SightingsResponse ToResponse(BatchReceipt receipt) =>
        new(receipt.Accepted, receipt.Dropped, [.. receipt.Rejected.Select(r => new RejectedSighting(r.Index, r.Error))]);
}
