namespace BeaconEngine.Grains.Shoppers;

[GenerateSerializer]
public sealed class BeaconIdentityState
{
    [Id(0)] public string? ShopperId { get; set; }

    /// <summary>The store beacon holding the identity (<c>storeId/beaconId</c>); a shopper and a beacon never share one.</summary>
    [Id(1)] public string? BeaconHolder { get; set; }
}
