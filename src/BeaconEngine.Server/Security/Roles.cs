namespace BeaconEngine.Server.Security;

/// <summary>Role names used in claims and authorization policies.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Gateway = "gateway";
    public const string Brand = "brand";
    public const string Shopper = "shopper";

    /// <summary>Claim with the store a gateway or shopper key belongs to.</summary>
    public const string StoreClaim = "beacon:store";
}
