using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// One hour of a store's zones: who entered each zone (by pseudonym), how long they stayed, what they
/// were offered, opened and redeemed there, and where they came from. Key: <see cref="ZoneHourKey"/>.
/// One grain per store-hour keeps each one's state bounded by that hour's shoppers.
/// </summary>
[Alias("BeaconEngine.IZoneHourGrain")]
public interface IZoneHourGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stays that began in this hour, open or closed. Sent again as they close, so the same stay (shopper,
    /// zone, entry time) counts once and its dwell once.
    /// </summary>
    [OneWay, Alias("RecordStays")]
    Task RecordStays(string shopperKey, ZoneStay[] stays);

    /// <summary>A coupon issued in this hour in <paramref name="zoneId"/> was offered, opened or redeemed.</summary>
    [OneWay, Alias("RecordStage")]
    Task RecordStage(string shopperKey, string zoneId, string brandId, ZoneStage stage);

    [ReadOnly, Alias("GetReport")]
    Task<ZoneHourReport> GetReport();
}

/// <summary>The key of a store-hour's zone grain: the store and the hour's start (UTC).</summary>
public static class ZoneHourKey
{
    public static DateTimeOffset HourOf(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    public static string Of(string storeId, DateTimeOffset at) =>
        $"{storeId}/{HourOf(at).ToString("yyyy-MM-ddTHH", System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>A stay in a zone; <paramref name="FromZoneId"/> is the zone the shopper was in before, in the same visit.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneStay")]
public sealed record ZoneStay(string ZoneId, DateTimeOffset EnteredAt, DateTimeOffset? ExitedAt, string? FromZoneId);

/// <summary>The funnel's stages after a shopper dwelt: a coupon issued in the zone, opened, redeemed.</summary>
public enum ZoneStage
{
    Offered,
    Opened,
    Redeemed,
}

/// <summary>
/// A shopper in a zone in one hour: whether they entered it then, their longest stay that began then (seconds),
/// and the brands whose coupons from the zone they were offered, opened and redeemed.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneShopperHour")]
public sealed record ZoneShopperHour(string ShopperKey, bool Entered, double LongestStaySeconds, string[] Offered, string[] Opened, string[] Redeemed);

/// <summary>A zone's hour: its shoppers, and its stays' dwell as a histogram (bucket of <c>DwellSketch</c> → stays).</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneHourData")]
public sealed record ZoneHourData(string ZoneId, ZoneShopperHour[] Shoppers, Dictionary<int, long> Dwell);

/// <summary>Moves from one zone to the next that entered the next in this hour, by shopper.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneTransitionHour")]
public sealed record ZoneTransitionHour(string FromZoneId, string ToZoneId, Dictionary<string, int> MovesByShopper);

[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneHourReport")]
public sealed record ZoneHourReport(ZoneHourData[] Zones, ZoneTransitionHour[] Transitions);
