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

    /// <summary>The latest event time seen.</summary>
    DateTimeOffset? LastEventTime { get; }

    /// <summary>Feeds one reading; appends any transitions it causes to <paramref name="transitions"/>.</summary>
    void Observe(in GatewayReading reading, List<ZoneTransition> transitions);

    /// <summary>Moves event time forward with no reading (e.g. a timer), so a shopper who left can be exited.</summary>
    void Advance(DateTimeOffset eventTime, List<ZoneTransition> transitions);
}
