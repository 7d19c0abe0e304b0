namespace BeaconEngine.Grains.Shoppers;

[GenerateSerializer]
public sealed class RotationRosterState
{
    /// <summary>Sealed rotation secrets by shopper id.</summary>
    [Id(0)] public Dictionary<string, byte[]> Secrets { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }

    /// <summary>The latest changes, oldest first, so nodes catch up without reading the whole roster.</summary>
    [Id(2)] public List<RosterChange> Changes { get; set; } = [];
}

[GenerateSerializer]
public sealed class RosterChange
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public string ShopperId { get; set; } = "";

    [Id(2)] public bool Removed { get; set; }
}
