using BeaconEngine.Contracts.Gateways;

namespace BeaconEngine.Grains.Gateways;

[GenerateSerializer]
public sealed class GatewayState
{
    /// <summary>The most recent batch ids with their receipts, oldest first; at most <see cref="GatewayGrain.RememberedBatches"/>.</summary>
    [Id(0)] public List<RememberedBatch> Recent { get; set; } = [];

    [Id(1)] public long Batches { get; set; }

    [Id(2)] public long Sightings { get; set; }

    [Id(3)] public long Accepted { get; set; }

    [Id(4)] public long Dropped { get; set; }

    [Id(5)] public long Rejected { get; set; }

    [Id(6)] public long DuplicateBatches { get; set; }

    [Id(7)] public long OutOfOrderBatches { get; set; }

    [Id(8)] public DateTimeOffset? LastSeenAt { get; set; }

    [Id(9)] public DateTimeOffset? NewestEventAt { get; set; }

    [Id(10)] public GatewayHeartbeat? LastHeartbeat { get; set; }

    /// <summary>Rotating identities heard after their period and tolerance: recorded advertisements played again.</summary>
    [Id(11)] public long Replays { get; set; }

    /// <summary>Rotating identities two shoppers held at once, resolved to neither.</summary>
    [Id(12)] public long SharedIdentities { get; set; }
}

[GenerateSerializer]
public sealed class RememberedBatch
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public BatchReceipt Receipt { get; set; } = null!;
}
