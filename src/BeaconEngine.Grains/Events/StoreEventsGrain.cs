using BeaconEngine.Contracts.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace BeaconEngine.Grains.Events;

/// <summary>
/// A store's event log, the one writer of its offsets. Events arrive one-way; while one write is in flight the
/// next events gather, and the next write stores all of them in one write of the open segment, in the store
/// every other grain state lives in (SQLite, PostgreSQL or Redis). A quiet store's event is stored at once;
/// a busy store's writes run back to back, each taking what arrived meanwhile. An event is readable only once stored, so an
/// offset a reader has seen is never given to another event, also after a crash. Events that arrived but
/// were not yet stored when the process died are lost: the facts they describe are kept where they live.
/// </summary>
internal sealed partial class StoreEventsGrain(
    [PersistentState("eventLog", StorageNames.State)] IPersistentState<StoreEventLogState> log,
    IOptions<StoreEventOptions> options,
    TimeProvider time,
    ILogger<StoreEventsGrain> logger) : Grain, IStoreEventsGrain
{
    public const int MaxPage = 10_000;

    // Events waiting for the store may not grow without bound while the store is unavailable.
    private const int MaxPending = 100_000;
    private const int CachedSegments = 8;
    private static readonly TimeSpan RetryStore = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(25);

    private readonly List<StoreEvent> _pending = [];
    private readonly Dictionary<long, List<StoreEvent>> _fullSegments = [];
    private IGrainStorage _storage = null!;
    private StoreEventSegmentRow _open = new();
    private Task? _writing;
    private bool _deactivating;
    private bool _reload;
    private TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StoreEventLogState Head => log.State;

    private long FirstOffset => (Head.FirstSegment * Head.SegmentSize) + 1;

    private long LastOffset => (Head.OpenSegment * Head.SegmentSize) + _open.State.Events.Count;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);
        if (Head.SegmentSize <= 0)
        {
            Head.SegmentSize = Math.Max(1, options.Value.SegmentSize);
        }

        _open = await ReadSegmentAsync(Head.OpenSegment);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A write in flight finishes; one waiting to retry tries once more now.
        _deactivating = true;
        if (_writing is { IsCompleted: false } writing)
        {
            await writing.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        if (_pending.Count > 0)
        {
            await TryStoreAsync(cancellationToken);
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task Append(StoreEvent storeEvent)
    {
        if (_pending.Count >= MaxPending)
        {
            LogDropped(logger, this.GetPrimaryKeyString(), _pending.Count);
            _pending.RemoveAt(0);
        }

        _pending.Add(storeEvent);
        if (_writing is null or { IsCompleted: true })
        {
            // Not awaited: this call ends, and the events that arrive during the write gather for the next one.
            // The write's continuations run on this activation, one at a time with its calls.
            _writing = WriteAllAsync();
        }

        return Task.CompletedTask;
    }

    public async Task<StoreEventPage> Read(long? after, int max)
    {
        var first = FirstOffset;
        var last = LastOffset;
        var from = after ?? first - 1;
        if (from < first - 1)
        {
            return new StoreEventPage(first, last, [], Gone: true);
        }

        max = Math.Clamp(max, 0, MaxPage);
        var events = new List<StoreEvent>(Math.Min(max, (int)Math.Clamp(last - from, 0, MaxPage)));
        var next = from + 1;
        while (events.Count < max && next <= last)
        {
            var segment = (next - 1) / Head.SegmentSize;
            var stored = await SegmentEventsAsync(segment);
            var i = (int)(next - 1 - (segment * Head.SegmentSize));
            for (; i < stored.Count && events.Count < max; i++)
            {
                events.Add(stored[i]);
            }

            // A segment read to its end (a full one that reads short, a row its store lost, is stepped over).
            next = events.Count < max ? ((segment + 1) * Head.SegmentSize) + 1 : (segment * Head.SegmentSize) + i + 1;
        }

        return new StoreEventPage(first, last, [.. events], Gone: false);
    }

    public async Task<long> WaitBeyond(long after, TimeSpan timeout)
    {
        var deadline = time.GetUtcNow() + (timeout < MaxWait ? timeout : MaxWait);
        while (LastOffset <= after)
        {
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            await Task.WhenAny(_stored.Task, Task.Delay(remaining, time));
        }

        return LastOffset;
    }

    /// <summary>Stores until nothing is pending; after a failure, tries again every <see cref="RetryStore"/>.</summary>
    private async Task WriteAllAsync()
    {
        while (_pending.Count > 0 && !_deactivating)
        {
            if (!await TryStoreAsync(CancellationToken.None))
            {
                await Task.Delay(RetryStore, time);
            }
        }
    }

    /// <summary>Stores what is pending, filling the open segment and starting the next when it is full; false if the store failed.</summary>
    private async Task<bool> TryStoreAsync(CancellationToken cancellation)
    {
        try
        {
            if (_reload)
            {
                // A write that failed may have landed all the same: start again from what the store holds.
                await log.ReadStateAsync(cancellation);
                _open = await ReadSegmentAsync(Head.OpenSegment);
                _reload = false;
            }

            if (!log.RecordExists)
            {
                await log.WriteStateAsync(cancellation);
            }

            while (_pending.Count > 0)
            {
                if (_open.State.Events.Count >= Head.SegmentSize)
                {
                    await StartNextSegmentAsync(cancellation);
                }

                var take = Math.Min(Head.SegmentSize - _open.State.Events.Count, _pending.Count);
                var events = new List<StoreEvent>(_open.State.Events.Count + take);
                events.AddRange(_open.State.Events);
                var offset = LastOffset;
                for (var i = 0; i < take; i++)
                {
                    events.Add(_pending[i] with { Offset = offset + i + 1 });
                }

                var row = new StoreEventSegmentRow { State = new StoreEventSegment { Events = events }, ETag = _open.ETag, RecordExists = _open.RecordExists };
                await _storage.WriteStateAsync(StoreEventSegmentRow.Name(Head.OpenSegment), this.GetGrainId(), row);
                _open = row;
                _pending.RemoveRange(0, take);
                Signal();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _reload = true;
            LogNotStored(logger, ex, this.GetPrimaryKeyString(), _pending.Count);
            return false;
        }

        return true;
    }

    /// <summary>
    /// The head moves on first: if the process dies before the new segment's first write, the log simply resumes
    /// in it. The open segment and its number change together, before the head's write: a read that runs while
    /// it is in flight finds the full segment in the cache and an empty open one, never the full one's events
    /// under the new segment's offsets.
    /// </summary>
    private async Task StartNextSegmentAsync(CancellationToken cancellation)
    {
        var full = _open;
        Cache(Head.OpenSegment, full.State.Events);
        Head.OpenSegment++;
        _open = new StoreEventSegmentRow();
        try
        {
            await log.WriteStateAsync(cancellation);
        }
        catch
        {
            Head.OpenSegment--;
            _open = full;
            _fullSegments.Remove(Head.OpenSegment);
            throw;
        }

        await RemoveOldSegmentsAsync(cancellation);
    }

    /// <summary>Retention: whole full segments go, oldest first, past the age or the count allowed.</summary>
    private async Task RemoveOldSegmentsAsync(CancellationToken cancellation)
    {
        var o = options.Value;
        try
        {
            while (Head.FirstSegment < Head.OpenSegment)
            {
                var oldest = Head.FirstSegment;
                var row = await ReadSegmentAsync(oldest);
                var tooMany = (Head.OpenSegment - oldest) * Head.SegmentSize > o.MaxEvents;
                var tooOld = row.State.Events.Count == 0 || row.State.Events[^1].At < time.GetUtcNow() - o.Retention;
                if (!tooMany && !tooOld)
                {
                    return;
                }

                // The head first, so a reader is never sent to a segment that is gone.
                Head.FirstSegment++;
                await log.WriteStateAsync(cancellation);
                _fullSegments.Remove(oldest);
                if (row.RecordExists)
                {
                    await _storage.ClearStateAsync(StoreEventSegmentRow.Name(oldest), this.GetGrainId(), row);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The events are stored; old ones simply stay a little longer.
            LogNotTrimmed(logger, ex, this.GetPrimaryKeyString());
        }
    }

    private async Task<List<StoreEvent>> SegmentEventsAsync(long segment)
    {
        if (segment == Head.OpenSegment)
        {
            return _open.State.Events;
        }

        if (!_fullSegments.TryGetValue(segment, out var events))
        {
            events = (await ReadSegmentAsync(segment)).State.Events;
            Cache(segment, events);
        }

        return events;
    }

    private void Cache(long segment, List<StoreEvent> events)
    {
        if (_fullSegments.Count >= CachedSegments)
        {
            _fullSegments.Remove(_fullSegments.Keys.Min());
        }

        _fullSegments[segment] = events;
    }

    private async Task<StoreEventSegmentRow> ReadSegmentAsync(long segment)
    {
        var row = new StoreEventSegmentRow();
        await _storage.ReadStateAsync(StoreEventSegmentRow.Name(segment), this.GetGrainId(), row);
        return row;
    }

    private void Signal()
    {
        var stored = _stored;
        _stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stored.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events of store {StoreId} could not be stored ({Pending} waiting); trying again shortly")]
    private static partial void LogNotStored(ILogger logger, Exception ex, string storeId, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Old events of store {StoreId} could not be removed; trying again when the next segment fills")]
    private static partial void LogNotTrimmed(ILogger logger, Exception ex, string storeId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Store {StoreId}: {Pending} events are waiting for the store; the oldest is dropped")]
    private static partial void LogDropped(ILogger logger, string storeId, int pending);
}
