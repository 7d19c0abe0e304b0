namespace BeaconEngine.Contracts.Stores;

/// <summary>The iBeacon identity a shopper's app broadcasts.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.BeaconAdvertisement")]
public sealed record BeaconAdvertisement(Guid Uuid, ushort Major, ushort Minor)
{
    /// <summary>The key of the identity's <see cref="Shoppers.IBeaconIdentityGrain"/>.</summary>
    public string Key => $"{Uuid:D}/{Major}/{Minor}";
}
