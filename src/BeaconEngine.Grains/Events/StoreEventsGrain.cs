using BeaconEngine.Contracts.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace BeaconEngine.Grains.Events;

/// <summary>
/// A store's event log, the one writer of its offsets. Events are sent by where they happen, which keeps them
/// (stored with the fact) until <see cref="Store"/> returns; while one write is in flight the next events gather,
/// and the next write stores all of them in one write of the open segment, in the store every other grain state
/// lives in (SQLite, PostgreSQL or Redis). A quiet store's event is stored at once; a busy store's writes run back
/// to back, each taking what arrived meanwhile. An event is readable only once stored, so an offset a reader has
/// seen is never given to another event, also after a crash. An event whose id is among the ids of the recent
/// events (the duplicate window, <see cref="StoreEventOptions.DuplicateWindow"/>) is not stored again: a sender
/// that crashed after the log stored its events, but before it recorded that, sends them again and they show once.
/// </summary>
internal sealed partial class StoreEventsGrain(
    [PersistentState("eventLog", StorageNames.State)] IPersistentState<StoreEventLogState> log,
    IOptions<StoreEventOptions> options,
    TimeProvider time,
    ILogger<StoreEventsGrain> logger) : Grain, IStoreEventsGrain
{
    public const int MaxPage = 10_000;

    // Events waiting for the store may not grow without bound: past this a sender is refused and sends again later.
    private const int MaxPending = 100_000;
    private const int CachedSegments = 8;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(25);

    private readonly List<(StoreEvent Event, Sender Sender)> _pending = [];

    // The duplicate window: the ids of the open segment and of the full segments before it that the window
    // covers, by segment, so a segment that leaves the window takes its ids along. Loaded on the first store.
    private readonly HashSet<string> _recentIds = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<string>> _recentIdsBySegment = [];
    private bool _windowLoaded;
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

        Fail(new StoreUnavailableException("The store's event log is stopping; send again."));
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task Store(StoreEvent[] events)
    {
        if (events.Length == 0)
        {
            return Task.CompletedTask;
        }

        if (_deactivating || _pending.Count + events.Length > MaxPending)
        {
            LogRefused(logger, this.GetPrimaryKeyString(), events.Length, _pending.Count);
            throw new StoreUnavailableException($"The event log of store '{this.GetPrimaryKeyString()}' is not taking events now; send again later.");
        }

        var sender = new Sender(events.Length);
        foreach (var storeEvent in events)
        {
            _pending.Add((storeEvent, sender));
        }

        if (_writing is null or { IsCompleted: true })
        {
            // Not awaited here: the events that arrive during the write gather for the next one, and each call
            // returns when the write holding its last event is done. The write's continuations run on this
            // activation, one at a time with its calls.
            _writing = WriteAllAsync();
        }

        return sender.Stored.Task;
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

    /// <summary>Stores until nothing is pending; a failed write fails its senders, who send again later.</summary>
    private async Task WriteAllAsync()
    {
        while (_pending.Count > 0 && !_deactivating)
        {
            await TryStoreAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Stores what is pending, filling the open segment and starting the next when it is full, and skipping ids the
    /// window holds; each sender's call returns once all its events are stored. If the store fails, every sender
    /// waiting is failed (their events stay with them) and false is returned.
    /// </summary>
    private async Task<bool> TryStoreAsync(CancellationToken cancellation)
    {
        try
        {
            if (_reload)
            {
                // A write that failed may have landed all the same: start again from what the store holds.
                await log.ReadStateAsync(cancellation);
                _open = await ReadSegmentAsync(Head.OpenSegment);
                (_reload, _windowLoaded) = (false, false);
            }

            await LoadWindowAsync();
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

                var events = new List<StoreEvent>(Head.SegmentSize);
                events.AddRange(_open.State.Events);
                var ids = new List<string>();
                var idsTaken = new HashSet<string>(StringComparer.Ordinal);
                var offset = LastOffset;
                var taken = 0;
                for (; taken < _pending.Count && events.Count < Head.SegmentSize; taken++)
                {
                    var storeEvent = _pending[taken].Event;
                    if (storeEvent.Id is { } id)
                    {
                        if (_recentIds.Contains(id) || !idsTaken.Add(id))
                        {
                            // Stored before (a resend), or twice in what is pending: it shows once.
                            continue;
                        }

                        ids.Add(id);
                    }

                    events.Add(storeEvent with { Offset = ++offset });
                }

                if (events.Count > _open.State.Events.Count)
                {
                    var row = new StoreEventSegmentRow { State = new StoreEventSegment { Events = events }, ETag = _open.ETag, RecordExists = _open.RecordExists };
                    await _storage.WriteStateAsync(StoreEventSegmentRow.Name(Head.OpenSegment), this.GetGrainId(), row);
                    _open = row;
                    Remember(Head.OpenSegment, ids);
                    Signal();
                }

                for (var i = 0; i < taken; i++)
                {
                    _pending[i].Sender.OneStored();
                }

                _pending.RemoveRange(0, taken);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _reload = true;
            LogNotStored(logger, ex, this.GetPrimaryKeyString(), _pending.Count);
            Fail(new StoreUnavailableException($"The event log of store '{this.GetPrimaryKeyString()}' could not store: {ex.Message}"));
            return false;
        }

        return true;
    }

    /// <summary>Fails every sender still waiting; their events are theirs to send again.</summary>
    private void Fail(Exception failure)
    {
        foreach (var (_, sender) in _pending)
        {
            sender.Stored.TrySetException(failure);
        }

        _pending.Clear();
    }

    /// <summary>The duplicate window's ids, read from the segments it covers (once an activation, and after a failed write).</summary>
    private async Task LoadWindowAsync()
    {
        if (_windowLoaded)
        {
            return;
        }

        _recentIds.Clear();
        _recentIdsBySegment.Clear();
        for (var segment = Math.Max(Head.FirstSegment, Head.OpenSegment - WindowSegments); segment < Head.OpenSegment; segment++)
        {
            var row = await ReadSegmentAsync(segment);
            Remember(segment, [.. row.State.Events.Select(e => e.Id).OfType<string>()]);
        }

        Remember(Head.OpenSegment, [.. _open.State.Events.Select(e => e.Id).OfType<string>()]);
        _windowLoaded = true;
    }

    /// <summary>Full segments the duplicate window covers behind the open one: enough for the window's events.</summary>
    private long WindowSegments => (Math.Max(0, options.Value.DuplicateWindow) + Head.SegmentSize - 1) / Head.SegmentSize;

    private void Remember(long segment, List<string> ids)
    {
        if (!_recentIdsBySegment.TryGetValue(segment, out var kept))
        {
            _recentIdsBySegment[segment] = kept = [];
        }

        kept.AddRange(ids);
        _recentIds.UnionWith(ids);
    }

    /// <summary>Lets go of the ids of segments the window has moved past.</summary>
    private void ForgetBefore(long segment)
    {
        foreach (var old in _recentIdsBySegment.Keys.Where(s => s < segment).ToList())
        {
            _recentIds.ExceptWith(_recentIdsBySegment[old]);
            _recentIdsBySegment.Remove(old);
        }
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

        ForgetBefore(Head.OpenSegment - WindowSegments);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events of store {StoreId} could not be stored ({Pending} waiting); their senders send them again")]
    private static partial void LogNotStored(ILogger logger, Exception ex, string storeId, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Old events of store {StoreId} could not be removed; trying again when the next segment fills")]
    private static partial void LogNotTrimmed(ILogger logger, Exception ex, string storeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store {StoreId}: {Events} events refused ({Pending} waiting for the store); their sender sends them again")]
    private static partial void LogRefused(ILogger logger, string storeId, int events, int pending);

    /// <summary>One call's events: its task completes when the last of them is stored (or found stored before).</summary>
    private sealed class Sender(int events)
    {
        private int _left = events;

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OneStored()
        {
            if (--_left == 0)
            {
                Stored.TrySetResult();
            }
        }
    }
}
