namespace BeaconEngine.Contracts.Analytics;

/// <summary>An offer's results: counts overall, per zone and per hour (UTC, oldest first), and the groups behind its lift.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferReport")]
public sealed record OfferReport(
    CountsByKind Total,
    Dictionary<string, CountsByKind> ByZone,
    SortedDictionary<DateTimeOffset, CountsByKind> ByHour,
    long TreatedShoppers,
    long TreatedBuyers,
    long ControlShoppers,
    long ControlBuyers);
