namespace BeaconEngine.Grains.Offers;

[GenerateSerializer]
public sealed class BrandState
{
    [Id(0)] public string? Name { get; set; }

    [Id(1)] public List<string> OfferIds { get; set; } = [];

    /// <summary>Offers the brand retired: they no longer fire, but their results stay readable.</summary>
    [Id(2)] public List<string> RetiredOfferIds { get; set; } = [];
}
