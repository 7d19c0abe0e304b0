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

    /// <summary>
    /// How long a budget reservation may stay unconfirmed before the offer asks the shopper's wallet
    /// whether the coupon arrived (and takes the unit back if not). Longer than any wallet write takes.
    /// </summary>
    public TimeSpan ReservationGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Share of a store's shoppers in its global control group when the store does not set its own
    /// (<c>globalControlShare</c>, 0 to 0.15).
    /// </summary>
    public double GlobalControlShare { get; set; } = 0.05;

    /// <summary>Default zone resolver parameters.</summary>
    public ZoneResolverOptions Proximity { get; set; } = new();
}
