namespace BeaconEngine.Grains;

/// <summary>Names of the grain storage providers the host must register.</summary>
public static class StorageNames
{
    /// <summary>Durable state of every grain: stores, offers, shoppers, keys, codes.</summary>
    public const string State = "beacon";
}
