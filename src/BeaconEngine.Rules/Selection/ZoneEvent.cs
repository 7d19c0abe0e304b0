using BeaconEngine.Rules.Offers;

namespace BeaconEngine.Rules.Selection;

/// <summary>
/// The shopper entered, dwells in or left <paramref name="ZoneId"/> at <paramref name="At"/> (event time),
/// having been there for <paramref name="Dwell"/>. <paramref name="SentAt"/> is when a coupon would reach
/// the phone (the server's clock; defaults to <paramref name="At"/>): contact limits are about that
/// moment, while dwell, validity and schedules are about where the shopper was and when.
/// <paramref name="PhoneOnly"/>: only the shopper's phone (its reports of the zone's beacons) placed them there.
/// </summary>
public readonly record struct ZoneEvent(string ZoneId, OfferTrigger Kind, TimeSpan Dwell, DateTimeOffset At, DateTimeOffset? SentAt = null, bool PhoneOnly = false)
{
    public DateTimeOffset ContactAt => SentAt ?? At;
}
