namespace BeaconEngine.Contracts.Analytics;

/// <summary>A store as it is now: shoppers per zone (counts only) and coupons issued per minute (UTC, oldest first).</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreActivity")]
public sealed record StoreActivity(
    Dictionary<string, int> ShoppersPerZone,
    SortedDictionary<DateTimeOffset, int> CouponsPerMinute);
