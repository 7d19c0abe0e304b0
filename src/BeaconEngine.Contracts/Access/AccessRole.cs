namespace BeaconEngine.Contracts.Access;

[GenerateSerializer, Alias("BeaconEngine.AccessRole")]
public enum AccessRole
{
    Operator,
    Gateway,
    Brand,
    Shopper,

    /// <summary>A store's till: reports purchases and redeems coupons in its own store only.</summary>
    Till,
}
