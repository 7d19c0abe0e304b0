namespace BeaconEngine.Contracts.Stores;

/// <summary>A point in the store's own frame, in metres (the operator picks the origin and axes).</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StorePosition")]
public sealed record StorePosition(double X, double Y);
