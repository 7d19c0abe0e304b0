namespace BeaconEngine.Contracts.Stores;

/// <summary>The outcome of replacing a layout: the new snapshot, or why it was refused (a zone still in use).</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.LayoutChange")]
public sealed record LayoutChange(StoreSnapshot? Snapshot, string? Refusal);
