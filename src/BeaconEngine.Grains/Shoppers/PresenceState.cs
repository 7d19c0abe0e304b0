using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// Where the shopper has been: the trail and the visits. Stored apart from <see cref="ShopperState"/>, so a
/// zone change writes this small row and leaves the wallet's alone.
/// </summary>
[GenerateSerializer]
public sealed class PresenceState
{
    /// <summary>The state's name in storage.</summary>
    public const string Name = "presence";

    [Id(0)] public List<TrailEntry> Trail { get; set; } = [];

    [Id(1)] public int VisitCount { get; set; }

    /// <summary>Event time of the latest sighting, to tell a new visit from the same one.</summary>
    [Id(2)] public DateTimeOffset? LastSeenAt { get; set; }
}
