namespace BeaconEngine.Proximity.Zones;

public enum ProximityEventKind
{
    /// <summary>The shopper entered the zone.</summary>
    Entered,

    /// <summary>The shopper is still in the zone; sent each time dwell crosses a whole tick interval.</summary>
    Dwell,

    /// <summary>The shopper left the zone (for another, or for none).</summary>
    Exited,
}
