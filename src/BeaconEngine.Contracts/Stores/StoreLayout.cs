namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// A store's name, time zone, zones, zone resolver overrides and contact limits, as the operator sets them.
/// <paramref name="Identity"/>: what shoppers enrolled from now on broadcast, <see cref="StoreIdentity.Static"/> (null) or
/// <see cref="StoreIdentity.Rotating"/>.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreLayout")]
public sealed record StoreLayout(
    string Name, string TimeZone, ZoneDefinition[] Zones, ProximitySettings? Proximity = null, ContactSettings? Contact = null, string? Identity = null, double? GlobalControlShare = null)
{
    public bool IsRotating => Identity == StoreIdentity.Rotating;
}

/// <summary>The kinds of shopper identity a store hands out.</summary>
public static class StoreIdentity
{
    /// <summary>One iBeacon identity for as long as the shopper is enrolled (the v1 default).</summary>
    public const string Static = "static";

    /// <summary>An identity per period derived from a secret only the phone and the server hold.</summary>
    public const string Rotating = "rotating";
}
