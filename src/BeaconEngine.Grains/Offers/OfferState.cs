using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Offers;

[GenerateSerializer]
public sealed class OfferState
{
    [Id(0)] public OfferDefinition? Definition { get; set; }

    [Id(1)] public bool Deleted { get; set; }

    [Id(2)] public long Issued { get; set; }

    [Id(3)] public long Delivered { get; set; }

    [Id(4)] public long Dismissed { get; set; }

    [Id(5)] public long Redeemed { get; set; }

    [Id(6)] public long HeldOut { get; set; }
}
