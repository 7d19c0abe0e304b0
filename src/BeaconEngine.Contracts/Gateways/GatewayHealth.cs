namespace BeaconEngine.Contracts.Gateways;

/// <summary>A gateway as operators see it. Queue, drop and skew figures come from the agent's last heartbeat.</summary>
/// <param name="SightingsPerSecond">Valid sightings received over the last 10 seconds, per second.</param>
/// <param name="Sightings">Valid items received since the gateway was first seen (accepted or dropped), duplicates not counted.</param>
/// <param name="DuplicateBatches">Batches whose id had been processed already: answered, not counted again.</param>
/// <param name="OutOfOrderBatches">Batches holding a valid item older than the newest item received from this gateway before.</param>
/// <param name="ClockSkewMs">Server clock minus agent clock at the last heartbeat, in milliseconds.</param>
[Immutable, GenerateSerializer, Alias("BeaconEngine.GatewayHealth")]
public sealed record GatewayHealth(
    DateTimeOffset? LastSeenAt,
    DateTimeOffset? LastHeartbeatAt,
    double SightingsPerSecond,
    long Batches,
    long Sightings,
    long Accepted,
    long Dropped,
    long Rejected,
    long DuplicateBatches,
    long OutOfOrderBatches,
    DateTimeOffset? NewestEventAt,
    double? ClockSkewMs,
    long? QueueDepth,
    long? QueueBytes,
    long? AgentDropped,
    string? AgentVersion,
    long Replays = 0,
    long SharedIdentities = 0);
