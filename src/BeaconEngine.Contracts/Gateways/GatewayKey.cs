namespace BeaconEngine.Contracts.Gateways;

/// <summary>The key of a gateway's grain. Store and gateway ids never contain '/', so the pair is unambiguous.</summary>
public static class GatewayKey
{
    public static string Of(string storeId, string gatewayId) => $"{storeId}/{gatewayId}";

    public static (string StoreId, string GatewayId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}
