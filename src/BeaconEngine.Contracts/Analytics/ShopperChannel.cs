namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// How a shopper wants coupons: in the app over SignalR only, or also through the retailer's push service
/// (a signed webhook) to reach a phone whose app is not connected. <paramref name="PushToken"/> is the
/// retailer's handle for the phone, passed through as given.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ShopperChannel")]
public sealed record ShopperChannel(string Kind, string? PushToken, string? LoyaltyId);
