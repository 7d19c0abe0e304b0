namespace BeaconEngine.Contracts.Shoppers;

/// <summary>
/// A stretch of event time the engine placed the shopper in a zone (null: in no zone). <paramref name="PhoneOnly"/>:
/// no gateway of the zone heard the shopper during the stay; only their phone's beacon reports placed them.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.TrailEntry")]
public sealed record TrailEntry(string? ZoneId, DateTimeOffset EnteredAt, DateTimeOffset? ExitedAt, bool PhoneOnly = false);
