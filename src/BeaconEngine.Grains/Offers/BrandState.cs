namespace BeaconEngine.Grains.Offers;

[GenerateSerializer]
public sealed class BrandState
{
    [Id(0)] public string? Name { get; set; }

    [Id(1)] public List<string> OfferIds { get; set; } = [];
}
