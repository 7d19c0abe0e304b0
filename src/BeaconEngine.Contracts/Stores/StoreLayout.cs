namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// A store's name, time zone, zones, zone resolver overrides and contact limits, as the operator sets them.
/// <paramref name="Identity"/>: what shoppers enrolled from now on broadcast, <see cref="StoreIdentity.Static"/> (null) or
/// <see cref="StoreIdentity.Rotating"/>; <paramref name="RotationPeriodSeconds"/>: how long each rotating identity lasts
/// (null: <see cref="StoreIdentity.DefaultRotationPeriodSeconds"/>).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreLayout")]
public sealed record StoreLayout(
    string Name, string TimeZone, ZoneDefinition[] Zones, ProximitySettings? Proximity = null, ContactSettings? Contact = null, string? Identity = null,
    int? RotationPeriodSeconds = null, double? GlobalControlShare = null)
{
    public bool IsRotating => Identity == StoreIdentity.Rotating;

    /// <summary>The rotation period in force, whether or not the store is rotating now (shoppers enrolled earlier keep rotating).</summary>
    public int RotationPeriod => RotationPeriodSeconds ?? StoreIdentity.DefaultRotationPeriodSeconds;
}

/// <summary>The kinds of shopper identity a store hands out.</summary>
public static class StoreIdentity
{
    /// <summary>One iBeacon identity for as long as the shopper is enrolled (the v1 default).</summary>
    public const string Static = "static";

    /// <summary>An identity per period derived from a secret only the phone and the server hold.</summary>
    public const string Rotating = "rotating";

    /// <summary>Ten minutes, as Eddystone-EID and the issue suggest: short enough to stop following, long enough for phones' clocks.</summary>
    public const int DefaultRotationPeriodSeconds = 600;

    /// <summary>The shortest period a store may choose: simulations and tests roll periods within a run.</summary>
    public const int MinRotationPeriodSeconds = 5;

    /// <summary>The longest: a day.</summary>
    public const int MaxRotationPeriodSeconds = 86_400;
}
