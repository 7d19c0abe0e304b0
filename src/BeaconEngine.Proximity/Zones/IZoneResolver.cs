namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// Where one shopper is, decided from a stream of gateway readings on event time.
/// One instance per shopper; not thread-safe (a grain owns it).
/// </summary>
public interface IZoneResolver
{
    /// <summary>The zone the shopper is in, or null.</summary>
    string? CurrentZoneId { get; }

    /// <summary>When (event time) the shopper entered <see cref="CurrentZoneId"/>.</summary>
    DateTimeOffset? EnteredAt { get; }

    /// <summary>The probability that the shopper is in <see cref="CurrentZoneId"/>, 0 to 1 (0 in no zone).</summary>
    double Confidence { get; }

    /// <summary>The latest event time seen.</summary>
    DateTimeOffset? LastEventTime { get; }

    /// <summary>How many gateways' readings are held; 0 once every gateway has been silent long enough to forget.</summary>
    int TrackedGateways { get; }

    /// <summary>
    /// True while the shopper is in a zone that none of the zone's gateways hears them in: only their
    /// phone's reports of the zone's beacons place them there (offers may ask for more).
    /// </summary>
    bool IsPhoneOnly { get; }

    /// <summary>Feeds one reading; appends the events it causes to <paramref name="events"/>.</summary>
    void Observe(in GatewayReading reading, List<ProximityEvent> events);

    /// <summary>
    /// Declares that every reading up to <see cref="LastEventTime"/> is in, so a change of zone can be
    /// weighed now rather than when the next, later reading arrives.
    /// </summary>
    void Settle(List<ProximityEvent> events);

    /// <summary>
    /// The shopper left the store at <paramref name="at"/> (their phone's region exit): out of their zone
    /// at once, and every track forgotten, so the next readings start a new placement.
    /// </summary>
    void LeaveStore(DateTimeOffset at, List<ProximityEvent> events);

    /// <summary>Moves event time forward with no reading (e.g. a timer), so a shopper who left can be exited.</summary>
    void Advance(DateTimeOffset eventTime, List<ProximityEvent> events);
}
