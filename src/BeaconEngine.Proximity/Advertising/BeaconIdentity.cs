namespace BeaconEngine.Proximity.Advertising;

/// <summary>The iBeacon identity a shopper's phone broadcasts: proximity UUID, major and minor.</summary>
public readonly record struct BeaconIdentity(Guid Uuid, ushort Major, ushort Minor)
{
    /// <summary>A stable text key, e.g. <c>f7826da6-4fa2-4e98-8024-bc5b71e0893e/1/42</c>.</summary>
    public string Key => $"{Uuid:D}/{Major}/{Minor}";

    public override string ToString() => Key;
}
