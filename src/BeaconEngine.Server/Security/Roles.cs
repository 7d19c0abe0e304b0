namespace BeaconEngine.Server.Security;

/// <summary>Role names used in claims and authorization policies.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Gateway = "gateway";
    public const string Brand = "brand";
    public const string Shopper = "shopper";
    public const string Till = "till";

    /// <summary>Policy for the till's routes: the operator anywhere, a till key in its own store.</summary>
    public const string TillOrOperator = "tillOrOperator";

    /// <summary>Claim with the store a gateway, till or shopper key belongs to.</summary>
    public const string StoreClaim = "beacon:store";
}
