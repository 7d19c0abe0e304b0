namespace BeaconEngine.Contracts.Shoppers;

/// <summary>A stretch of event time the engine placed the shopper in a zone (null: in no zone).</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.TrailEntry")]
public sealed record TrailEntry(string? ZoneId, DateTimeOffset EnteredAt, DateTimeOffset? ExitedAt);
