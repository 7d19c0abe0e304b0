namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// Something the resolver decided about a shopper, at <paramref name="At"/> in event time.
/// <paramref name="Dwell"/> is the time spent in the zone so far (for an exit: in total).
/// <paramref name="Confidence"/> is between 0 and 1: how clearly the zone's gateways outweighed the rest.
/// <paramref name="PhoneOnly"/>: at that moment no gateway of the zone heard the shopper; only their
/// phone's reports of the zone's beacons placed them there.
/// </summary>
public readonly record struct ProximityEvent(ProximityEventKind Kind, string ZoneId, DateTimeOffset At, TimeSpan Dwell, double Confidence, bool PhoneOnly = false);
