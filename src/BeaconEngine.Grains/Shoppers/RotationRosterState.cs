using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// The head row of a store's roster: its version, the latest changes and which bucket rows exist. The secrets live
/// in the bucket rows (<see cref="RosterBucketRow"/>), so an enrolment rewrites one bucket, not the whole roster.
/// </summary>
[GenerateSerializer]
public sealed class RotationRosterState
{
    /// <summary>Sealed secrets by shopper id, as rosters kept them before buckets; moved into buckets on activation.</summary>
    [Id(0)] public Dictionary<string, byte[]> Secrets { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }

    /// <summary>
    /// The latest changes, oldest first, so nodes a little behind catch up after the roster moved without reading it
    /// whole. Written before the bucket a change touches, so it is also the roster's write-ahead log: activation
    /// finishes what a crash interrupted.
    /// </summary>
    [Id(2)] public List<RosterChange> Changes { get; set; } = [];

    /// <summary>The buckets that have a row.</summary>
    [Id(3)] public List<int> Buckets { get; set; } = [];
}

[GenerateSerializer]
public sealed class RosterChange
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public string ShopperId { get; set; } = "";

    [Id(2)] public bool Removed { get; set; }
}

/// <summary>One bucket of a roster's sealed secrets, by shopper id.</summary>
[GenerateSerializer]
public sealed class RosterBucket
{
    [Id(0)] public Dictionary<string, byte[]> Secrets { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A bucket's row in the grain storage, beside the roster's head row.</summary>
internal sealed class RosterBucketRow : IGrainState<RosterBucket>
{
    private RosterBucket _state = new();

    [AllowNull]
    public RosterBucket State
    {
        get => _state;
        set => _state = value ?? new RosterBucket();
    }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }

    public static string Name(int bucket) => $"rotation-{bucket.ToString(CultureInfo.InvariantCulture)}";
}
