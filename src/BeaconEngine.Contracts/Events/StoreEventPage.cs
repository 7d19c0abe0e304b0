namespace BeaconEngine.Contracts.Events;

/// <summary>
/// Events of a store's log after an offset. <paramref name="FirstOffset"/> is the oldest event kept (retention
/// removes older ones) and <paramref name="LastOffset"/> the newest stored; 0 while the log is empty.
/// <paramref name="Gone"/>: the events just after the asked offset were removed by retention, so nothing is returned.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreEventPage")]
public sealed record StoreEventPage(
    [property: Id(0)] long FirstOffset,
    [property: Id(1)] long LastOffset,
    [property: Id(2)] StoreEvent[] Events,
    [property: Id(3)] bool Gone);
