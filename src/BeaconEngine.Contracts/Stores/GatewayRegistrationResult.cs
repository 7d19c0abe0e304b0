namespace BeaconEngine.Contracts.Stores;

[GenerateSerializer, Alias("BeaconEngine.GatewayRegistrationResult")]
public enum GatewayRegistrationResult
{
    Registered,
    StoreNotFound,
    ZoneNotFound,
    AlreadyRegistered,
}
