namespace BeaconEngine.Rules.Selection;

/// <summary>The shopper is in <paramref name="ZoneId"/> and has dwelt there for <paramref name="Dwell"/> at <paramref name="At"/> (event time).</summary>
public readonly record struct ZoneEvent(string ZoneId, TimeSpan Dwell, DateTimeOffset At);
