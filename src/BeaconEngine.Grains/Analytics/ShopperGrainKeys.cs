namespace BeaconEngine.Grains.Analytics;

public static class ShopperGrainKeys
{
    /// <summary>The key of a store's loyalty card grain.</summary>
    public static string LoyaltyCard(string storeId, string loyaltyId) => $"{storeId}/{loyaltyId}";
}
