using BeaconEngine.Rules.Offers;

namespace BeaconEngine.Rules.Selection;

/// <summary>
/// The shopper entered, dwells in or left <paramref name="ZoneId"/> at <paramref name="At"/> (event time),
/// having been there for <paramref name="Dwell"/>.
/// </summary>
public readonly record struct ZoneEvent(string ZoneId, OfferTrigger Kind, TimeSpan Dwell, DateTimeOffset At);
