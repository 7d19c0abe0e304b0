namespace BeaconEngine.Server.Api;

/// <summary>A gateway agent's heartbeat: <c>sentAt</c> is its own clock (ISO-8601 or Unix ms).</summary>
public sealed record HeartbeatRequest(
    string? GatewayId, DateTimeOffset? SentAt, long? QueueDepth, long? QueueBytes, long? Dropped, long? Heard, double? UptimeSeconds, string? AgentVersion);

public sealed record HeartbeatResponse(DateTimeOffset ServerTime, double ClockSkewMs);

/// <summary>
/// <c>status</c>: <c>online</c> (seen within the last minute), <c>silent</c> (seen before, not in the last minute) or
/// <c>never</c>.
/// </summary>
public sealed record GatewayHealthResponse(
    string GatewayId,
    string ZoneId,
    string Status,
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

public sealed record StoreGatewaysResponse(string StoreId, IReadOnlyList<GatewayHealthResponse> Gateways);
