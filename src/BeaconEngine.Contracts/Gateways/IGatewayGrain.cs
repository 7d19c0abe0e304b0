using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Gateways;

/// <summary>
/// One gateway's uplink bookkeeping: the ids of its recent batches (so a retried batch is not counted twice) and its
/// health as operators see it. Key: <c>storeId/gatewayId</c> (see <see cref="GatewayKey"/>).
/// </summary>
[Alias("BeaconEngine.IGatewayGrain")]
public interface IGatewayGrain : IGrainWithStringKey
{
    /// <summary>Claims a batch id before its sightings are processed; a known id answers with the first outcome.</summary>
    [Alias("BeginBatch")]
    Task<BatchAdmission> BeginBatch(string batchId);

    /// <summary>Records a processed batch (with or without an id) and, for an id, keeps its receipt for retries.</summary>
    [Alias("CompleteBatch")]
    Task CompleteBatch(string? batchId, BatchReceipt receipt);

    /// <summary>Releases a claimed id whose processing failed as a whole, so the gateway's retry is processed.</summary>
    [Alias("AbandonBatch")]
    Task AbandonBatch(string batchId);

    [Alias("RecordHeartbeat")]
    Task RecordHeartbeat(GatewayHeartbeat heartbeat);

    [ReadOnly, Alias("GetHealth")]
    Task<GatewayHealth> GetHealth();
}
