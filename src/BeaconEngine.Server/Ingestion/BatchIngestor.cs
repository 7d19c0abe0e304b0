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
/// Every gateway batch, over HTTP or MQTT, passes here: a batch id already processed is answered with its first
/// answer and counted nowhere, and each processed batch feeds the gateway's health. The sightings themselves go
/// through <see cref="SightingIngestor"/>, so every uplink gets the same checks.
/// </summary>
public sealed class BatchIngestor(SightingIngestor ingestor, IGrainFactory grains, TimeProvider time, IngestionMetrics metrics)
{
    public Task<BatchOutcome> IngestAsync(string storeId, string gatewayId, string? batchId, JsonElement body) =>
        RunAsync(storeId, gatewayId, batchId, () => ingestor.IngestAsync(storeId, gatewayId, body), response => Receipt(body, response));

    public Task<BatchOutcome> IngestAsync(string storeId, string gatewayId, string? batchId, UplinkDecodeResult decoded) =>
        RunAsync(storeId, gatewayId, batchId, () => ingestor.IngestAsync(storeId, gatewayId, decoded), response => Receipt(decoded, response));

    public Task RecordHeartbeatAsync(string storeId, string gatewayId, GatewayHeartbeat heartbeat) =>
        grains.GetGrain<IGatewayGrain>(GatewayKey.Of(storeId, gatewayId)).RecordHeartbeat(heartbeat);

    private async Task<BatchOutcome> RunAsync(
        string storeId, string gatewayId, string? batchId, Func<Task<SightingsResponse>> ingest, Func<SightingsResponse, BatchReceipt> receipt)
    {
        // One span per batch, under the HTTP request or MQTT message; Orleans carries it into the grain calls below.
        using var activity = EngineTelemetry.Source.StartActivity("ingest sightings batch");
        activity?.SetTag("beaconengine.store.id", storeId);
        activity?.SetTag("beaconengine.gateway.id", gatewayId);

        // Coupons this batch causes are timed from here (the context flows into every grain call below).
        CouponLatency.BatchReceived();
        var gateway = grains.GetGrain<IGatewayGrain>(GatewayKey.Of(storeId, gatewayId));
        if (batchId is not null)
        {
            var admission = await gateway.BeginBatch(batchId);
            switch (admission.Kind)
            {
                case BatchAdmissionKind.Duplicate:
                    metrics.DuplicateBatch();
                    return new BatchOutcome(ToResponse(admission.Receipt!), Replayed: true);
                case BatchAdmissionKind.InFlight:
                    throw Problems.Conflict($"Batch '{batchId}' is being processed right now; send it again in a moment.");
            }
        }

        SightingsResponse response;
        try
        {
            response = await ingest();
        }
        catch when (batchId is not null)
        {
            // Nothing of the batch counted (a bad payload, an unknown gateway): its retry must be processed afresh.
            await gateway.AbandonBatch(batchId);
            throw;
        }

        await gateway.CompleteBatch(batchId, receipt(response));
        metrics.Batch(response.Accepted, response.Dropped, response.Rejected.Count);
        activity?.SetTag("beaconengine.sightings.accepted", response.Accepted);
        return new BatchOutcome(response, Replayed: false);
    }

    private static SightingsResponse ToResponse(BatchReceipt receipt) =>
        new(receipt.Accepted, receipt.Dropped, [.. receipt.Rejected.Select(r => new RejectedSighting(r.Index, r.Error))]);

    private BatchReceipt Receipt(JsonElement body, SightingsResponse response)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? oldest = null, newest = null;
        var items = 0;
        if (body.TryGetProperty("sightings", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            var rejected = Rejected(response);
            foreach (var item in array.EnumerateArray())
            {
                var index = items++;
                if (rejected.Contains(index))
                {
                    continue;
                }

                var at = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("ts", out var ts) && ts.ValueKind != JsonValueKind.Null
                    && UtcTimeConverter.TryRead(ts, out var read, out _) ? read : now;
                Span(ref oldest, ref newest, at);
            }
        }

        return new BatchReceipt(items, response.Accepted, response.Dropped, Rejections(response), oldest, newest);
    }

    private BatchReceipt Receipt(UplinkDecodeResult decoded, SightingsResponse response)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? oldest = null, newest = null;
        var rejected = Rejected(response);
        foreach (var s in decoded.Sightings)
        {
            if (!rejected.Contains(s.Index))
            {
                Span(ref oldest, ref newest, s.Timestamp ?? now);
            }
        }

        var items = decoded.Sightings.Count + decoded.Errors.Count(e => e.Index != UplinkError.WholePayload);
        return new BatchReceipt(items, response.Accepted, response.Dropped, Rejections(response), oldest, newest);
    }

    private static HashSet<int> Rejected(SightingsResponse response) => [.. response.Rejected.Select(r => r.Index)];

    private static BatchRejection[] Rejections(SightingsResponse response) => [.. response.Rejected.Select(r => new BatchRejection(r.Index, r.Error))];

    private static void Span(ref DateTimeOffset? oldest, ref DateTimeOffset? newest, DateTimeOffset at)
    {
        if (oldest is null || at < oldest)
        {
            oldest = at;
        }

        if (newest is null || at > newest)
        {
            newest = at;
        }
    }
}
