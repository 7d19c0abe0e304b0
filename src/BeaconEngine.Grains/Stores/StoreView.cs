using System.Collections.Frozen;
using System.Globalization;
using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Calibration;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Policy;

namespace BeaconEngine.Grains.Stores;

/// <summary>
/// A store snapshot prepared for the hot path: gateways by id, the offers compiled for the rules core,
/// the zone resolver's effective options, the zone graph and model (with the store's calibration), the
/// store's geometry, and the advertisements of the calibration walks under way.
/// </summary>
public sealed class StoreView
{
    public StoreView(StoreSnapshot snapshot, ZoneResolverOptions proximityDefaults, double globalControlDefault = 0)
    {
        GlobalControlShare = snapshot.Layout.GlobalControlShare ?? globalControlDefault;
        ResolverOptions = ProximitySettingsMapper.Apply(proximityDefaults, snapshot.Layout.Proximity);
        ZoneGraph = new ZoneGraph(snapshot.Layout.Zones.Select(z => (z.Id, (IEnumerable<string>)z.Neighbors)));
        Geometry = StoreGeometryMapper.From(snapshot);
        ZoneModel = new ZoneModel(ZoneGraph, snapshot.Calibration is { } c ? CalibrationMapper.ToProximity(c) : null, Geometry);
        CalibrationDevices = (snapshot.CalibrationDevices ?? []).ToFrozenDictionary(d => d.Minor, d => d.CalibrationId);
        Snapshot = snapshot;
        Gateways = snapshot.Gateways.ToFrozenDictionary(g => g.GatewayId, StringComparer.Ordinal);
        ZoneIds = snapshot.Layout.Zones.Select(z => z.Id).ToFrozenSet(StringComparer.Ordinal);
        Offers = snapshot.Offers.ToFrozenDictionary(o => o.OfferId, StringComparer.Ordinal);
        TimeZone = TimeZoneInfo.TryFindSystemTimeZoneById(snapshot.Layout.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
        Beacons = (snapshot.Beacons ?? []).ToFrozenDictionary(b => b.IBeacon.Key, StringComparer.Ordinal);
        BeaconRegionUuid = snapshot.Beacons is [var first, ..] ? first.IBeacon.Uuid : null;
        Catalog = new OfferCatalog(snapshot.Offers.Select(ToRulesOffer), TimeZone, ContactSettingsMapper.Apply(ContactPolicy.Default, snapshot.Layout.Contact) with { GlobalControlShare = GlobalControlShare }, snapshot.Version);
    }

    /// <summary>The store's global control share, its own or the engine's default.</summary>
    public double GlobalControlShare { get; }

    public StoreSnapshot Snapshot { get; }

    public string StoreId => Snapshot.StoreId;

    public long Version => Snapshot.Version;

    public long LayoutVersion => Snapshot.LayoutVersion;

    public ZoneResolverOptions ResolverOptions { get; }

    public ZoneGraph ZoneGraph { get; }

    /// <summary>What the store's resolvers share: the zone graph, the gateways' positions and the store's calibration.</summary>
    public ZoneModel ZoneModel { get; }

    /// <summary>Zones, adjacency, outlines and gateway positions, as the calibration fitter reads them.</summary>
    public StoreGeometry Geometry { get; }

    /// <summary>The calibration walks under way: the id of the walk whose device advertises each minor (under <see cref="CalibrationRules.Major"/>).</summary>
    public FrozenDictionary<ushort, string> CalibrationDevices { get; }

    public FrozenDictionary<string, GatewayDefinition> Gateways { get; }

    public FrozenSet<string> ZoneIds { get; }

    public FrozenDictionary<string, OfferDefinition> Offers { get; }

    public OfferCatalog Catalog { get; }

    /// <summary>The store's fixed beacons by identity key (<c>uuid/major/minor</c>), for the reports of shoppers' phones.</summary>
    public FrozenDictionary<string, StoreBeaconDefinition> Beacons { get; }

    /// <summary>The proximity UUID every beacon of the store shares (the iOS region to monitor); null without beacons.</summary>
    public Guid? BeaconRegionUuid { get; }

    public TimeZoneInfo TimeZone { get; }

    public static Offer ToRulesOffer(OfferDefinition offer) => new()
    {
        OfferId = offer.OfferId,
        BrandId = offer.BrandId,
        ZoneIds = offer.ZoneIds,
        Discount = new Discount(
            string.Equals(offer.DiscountKind, "percent", StringComparison.OrdinalIgnoreCase) ? DiscountKind.Percent : DiscountKind.Amount,
            offer.DiscountValue),
        Category = offer.Category,
        Trigger = offer.Trigger switch
        {
            "enter" => OfferTrigger.Enter,
            "dwell" => OfferTrigger.Dwell,
            "exit" => OfferTrigger.Exit,
            _ => null,
        },
        MinDwell = TimeSpan.FromSeconds(offer.MinDwellSeconds),
        ValidFrom = offer.ValidFrom,
        ValidTo = offer.ValidTo,
        Schedule = offer.ScheduleDays.Length == 0 && offer.ScheduleFrom is null && offer.ScheduleTo is null
            ? null
            : new OfferSchedule
            {
                Days = [.. offer.ScheduleDays.Select(d => Enum.Parse<DayOfWeek>(d, ignoreCase: true))],
                From = offer.ScheduleFrom is { } from ? TimeOnly.Parse(from, CultureInfo.InvariantCulture) : null,
                To = offer.ScheduleTo is { } to ? TimeOnly.Parse(to, CultureInfo.InvariantCulture) : null,
            },
        Audience = new OfferAudience
        {
            Segments = offer.Segments,
            LoyaltyTiers = offer.LoyaltyTiers,
            MinVisits = offer.MinVisits,
            MaxVisits = offer.MaxVisits,
            Visitors = offer.Visitors switch
            {
                "new" => VisitorKind.New,
                "returning" => VisitorKind.Returning,
                _ => VisitorKind.Any,
            },
            RequiresInterest = offer.RequiresInterest,
        },
        MaxPerShopper = offer.MaxPerShopper,
        Caps = offer.CapMaxCouponsToday is null && offer.CapMinGapMinutes is null && offer.CapQuietAfterDismissalMinutes is null
            ? null
            : new OfferCaps
            {
                MaxCouponsToday = offer.CapMaxCouponsToday,
                MinGap = offer.CapMinGapMinutes is { } gap ? TimeSpan.FromMinutes(gap) : null,
                QuietAfterDismissal = offer.CapQuietAfterDismissalMinutes is { } quiet ? TimeSpan.FromMinutes(quiet) : null,
            },
        Priority = offer.Priority,
        HoldoutShare = offer.HoldoutShare,
        RequiresGatewayPresence = offer.Presence == "gateway",
    };
}
