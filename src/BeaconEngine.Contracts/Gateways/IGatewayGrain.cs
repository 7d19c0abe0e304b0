using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Gateways;

/// <summary>
/// One gateway's uplink bookkeeping: the ids of its recent batches (so a retried batch is not counted twice) and its
/// health as operators see it. Key: <c>storeId/gatewayId</c> (see <see cref="GatewayKey"/>).
/// </summary>
[Alias("BeaconEngine.IGatewayGrain")]
public interface IGatewayGrain : IGrainWithStringKey
{
    /// <summary>
    /// A batch, in one call: a known batch id is answered with its first receipt and counted nowhere; one being
    /// processed right now is answered <see cref="BatchAdmissionKind.InFlight"/>; otherwise the sightings go to
    /// their shoppers and walks, and the receipt is kept (for an id) and counted in the gateway's health.
    /// Interleaves, so a gateway's batches are processed side by side, as they arrive.
    /// </summary>
    [AlwaysInterleave, Alias("Ingest")]
    Task<BatchAdmission> Ingest(GatewayBatch batch);

    [Alias("RecordHeartbeat")]
    Task RecordHeartbeat(GatewayHeartbeat heartbeat);

    [ReadOnly, Alias("GetHealth")]
    Task<GatewayHealth> GetHealth();
}
