namespace BeaconEngine.Contracts.Access;

[GenerateSerializer, Alias("BeaconEngine.AccessRole")]
public enum AccessRole
{
    Operator,
    Gateway,
    Brand,
    Shopper,
}
