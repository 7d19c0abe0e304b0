using BeaconEngine.Contracts.Access;

namespace BeaconEngine.Grains.Access;

[GenerateSerializer]
public sealed class AccessKeyState
{
    [Id(0)] public AccessPrincipal? Principal { get; set; }
}
