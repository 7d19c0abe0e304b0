using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains;

/// <summary>Engine-wide settings (configuration section <c>BeaconEngine:Engine</c>).</summary>
public sealed class EngineOptions
{
    /// <summary>
    /// Sightings older than this (event time against the server's clock) still update the trail but
    /// trigger no coupon: a gateway's late backlog must not message a shopper who has moved on.
    /// </summary>
    public TimeSpan MaxTriggerAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many trail entries a shopper keeps; the oldest go first.</summary>
    public int MaxTrailEntries { get; set; } = 2_000;

    /// <summary>Default zone resolver parameters.</summary>
    public ZoneResolverOptions Proximity { get; set; } = new();
}
