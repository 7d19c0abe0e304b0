namespace BeaconEngine.Contracts.Analytics;

/// <summary>A store as it is now: shoppers per zone (counts only), each gateway's last batch, and coupons issued per minute (UTC, oldest first).</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreActivity")]
public sealed record StoreActivity(
    Dictionary<string, int> ShoppersPerZone,
    Dictionary<string, DateTimeOffset> GatewaysLastSeen,
    SortedDictionary<DateTimeOffset, int> CouponsPerMinute);
