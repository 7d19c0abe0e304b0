using BeaconEngine.Contracts.Events;

namespace BeaconEngine.Grains.Events;

/// <summary>
/// The head of a store's log. The events live in segments of <see cref="SegmentSize"/> (rows of their own):
/// segment n holds offsets n·size + 1 to (n + 1)·size. Segments before <see cref="OpenSegment"/> are full and
/// never change; the open one grows. Offsets are therefore never reused: the next is the open segment's start
/// plus what it holds.
/// </summary>
[GenerateSerializer]
public sealed class StoreEventLogState
{
    /// <summary>Fixed when the log is made; 0 before.</summary>
    [Id(0)] public int SegmentSize { get; set; }

    /// <summary>The oldest segment kept (retention removes those before it).</summary>
    [Id(1)] public long FirstSegment { get; set; }

    [Id(2)] public long OpenSegment { get; set; }
}

/// <summary>One segment's events, in offset order.</summary>
[GenerateSerializer]
public sealed class StoreEventSegment
{
    [Id(0)] public List<StoreEvent> Events { get; set; } = [];
}

/// <summary>A segment's row as the grain storage reads and writes it.</summary>
internal sealed class StoreEventSegmentRow : IGrainState<StoreEventSegment>
{
    private StoreEventSegment _state = new();

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public StoreEventSegment State
    {
        get => _state;
        set => _state = value ?? new StoreEventSegment();
    }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }

    public static string Name(long segment) => $"eventLog-{segment.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
