namespace BeaconEngine.Contracts.Gateways;

/// <summary>
/// What a gateway agent reports about itself. <paramref name="SentAt"/> is the agent's clock and
/// <paramref name="ReceivedAt"/> the server's, so their difference is the agent's clock skew (plus transit).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.GatewayHeartbeat")]
public sealed record GatewayHeartbeat(
    DateTimeOffset SentAt,
    DateTimeOffset ReceivedAt,
    long QueueDepth,
    long QueueBytes,
    long Dropped,
    long Heard,
    double UptimeSeconds,
    string? AgentVersion);
