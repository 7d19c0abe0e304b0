namespace BeaconEngine.Grains.Shoppers;

[GenerateSerializer]
public sealed class BeaconIdentityState
{
    [Id(0)] public string? ShopperId { get; set; }
}
