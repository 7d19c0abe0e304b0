namespace BeaconEngine.Contracts.Gateways;

/// <summary>
/// What a batch came to: the answer the gateway got (replayed to a retry of the same id), plus the figures the
/// gateway's health is made of.
/// </summary>
/// <param name="Items">Items in the batch, good or bad.</param>
/// <param name="OldestAt">Earliest event time of a valid item, if any.</param>
/// <param name="NewestAt">Latest event time of a valid item, if any.</param>
[Immutable, GenerateSerializer, Alias("BeaconEngine.BatchReceipt")]
public sealed record BatchReceipt(
    int Items, int Accepted, int Dropped, BatchRejection[] Rejected, DateTimeOffset? OldestAt, DateTimeOffset? NewestAt);

[Immutable, GenerateSerializer, Alias("BeaconEngine.BatchRejection")]
public sealed record BatchRejection(int Index, string Error);
