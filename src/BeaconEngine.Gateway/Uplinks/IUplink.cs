using BeaconEngine.Gateway.Queue;

namespace BeaconEngine.Gateway.Uplinks;

public enum SendResult
{
    /// <summary>The engine (or the broker, for MQTT) has the batch: remove it from the queue.</summary>
    Delivered,

    /// <summary>Not now (network, server down, overloaded): keep it and try again after a backoff.</summary>
    Retry,

    /// <summary>The engine refused the batch itself (malformed): sending it again cannot help; it is dropped and counted.</summary>
    Refused,
}

/// <summary>What the agent says about itself in a heartbeat.</summary>
public sealed record AgentHeartbeat(DateTimeOffset SentAt, long QueueDepth, long QueueBytes, long Dropped, long Heard, double UptimeSeconds, string AgentVersion);

/// <summary>How batches and heartbeats leave the box: HTTP or MQTT.</summary>
public interface IUplink : IAsyncDisposable
{
    Task<SendResult> SendAsync(QueuedBatch batch, CancellationToken cancellationToken);

    /// <summary>Best effort: a heartbeat that cannot be sent is skipped, not queued.</summary>
    Task<bool> SendHeartbeatAsync(AgentHeartbeat heartbeat, CancellationToken cancellationToken);
}
