namespace BeaconEngine.Proximity.Rotation;

/// <summary>
/// Resolves one store's rotating identities to shoppers. Per-period tables (identity → shopper) are built from the
/// shoppers' secrets the first time a period is asked for; a sighting of a period is answered from that period's
/// window, one map merging the tables of the <see cref="Tolerance"/> periods either side (phones' clocks drift; an
/// identity two shoppers hold there is shared and resolves to neither) and, where not live, those of the
/// <see cref="ReplayWindow"/> periods before (a hit there is a replay). One lookup per sighting whatever the number
/// of shoppers; at most <see cref="MaxTables"/> tables and two windows are kept, so memory is bounded by a fixed
/// multiple of the number of shoppers. Thread-safe: one lock, taken once per batch by <see cref="ResolveAll"/>.
/// </summary>
public sealed class RotationTables
{
    private const int SharedSlot = -1;

    private readonly Guid _storeUuid;
    private readonly List<string?> _shoppers = [];
    private readonly List<byte[]?> _secrets = [];
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Dictionary<uint, Entry>> _tables = new();
    private readonly Dictionary<long, Dictionary<uint, Entry>> _windows = new();
    private (long Period, Dictionary<uint, Entry> Map)? _lastWindow;
    private readonly Lock _lock = new();

    public RotationTables(Guid storeUuid, int periodSeconds, int tolerance = 1, int replayWindow = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        ArgumentOutOfRangeException.ThrowIfNegative(replayWindow);
        _storeUuid = storeUuid;
        PeriodSeconds = periodSeconds;
        Tolerance = tolerance;
        ReplayWindow = replayWindow;
        MaxTables = (2 * tolerance) + 1 + replayWindow + 2;
    }

    /// <summary>Windows (see <see cref="WindowFor"/>) kept: the current period's and the one before, for late batches.</summary>
    private const int MaxWindows = 2;

    public int PeriodSeconds { get; }

    /// <summary>Periods either side of a sighting's own whose identities still count as live.</summary>
    public int Tolerance { get; }

    /// <summary>Periods before the tolerance whose identities count as replays (older ones are simply unknown).</summary>
    public int ReplayWindow { get; }

    public int MaxTables { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>Adds or replaces a shopper's secret; periods already built learn it at once.</summary>
    public void Add(string shopperId, byte[] secret)
    {
        lock (_lock)
        {
            if (_slots.ContainsKey(shopperId))
            {
                RemoveLocked(shopperId);
            }

            var slot = _shoppers.Count;
            _shoppers.Add(shopperId);
            _secrets.Add(secret);
            _slots[shopperId] = slot;
            foreach (var (period, table) in _tables)
            {
                Insert(table, RotatingIdentity.Derive(secret, _storeUuid, period), slot);
            }

            foreach (var (period, window) in _windows)
            {
                for (var p = period - Tolerance; p <= period + Tolerance; p++)
                {
                    var identity = RotatingIdentity.Derive(secret, _storeUuid, p);
                    MergeLive(window, identity.Key, new Entry(slot, (uint)identity.Eid, Replay: false));
                }

                for (var p = period - Tolerance - 1; p >= period - Tolerance - ReplayWindow; p--)
                {
                    var identity = RotatingIdentity.Derive(secret, _storeUuid, p);
                    window.TryAdd(identity.Key, new Entry(slot, (uint)identity.Eid, Replay: true));
                }
            }
        }
    }

    public bool Contains(string shopperId)
    {
        lock (_lock)
        {
            return _slots.ContainsKey(shopperId);
        }
    }

    /// <summary>Forgets every shopper but <paramref name="kept"/>.</summary>
    public void RemoveAllExcept(IReadOnlySet<string> kept)
    {
        lock (_lock)
        {
            foreach (var shopperId in _slots.Keys.Where(id => !kept.Contains(id)).ToList())
            {
                RemoveLocked(shopperId);
            }
        }
    }

    /// <summary>Forgets a shopper (erasure). Tables are rebuilt when next asked, since a shared identity may now be one shopper's.</summary>
    public void Remove(string shopperId)
    {
        lock (_lock)
        {
            RemoveLocked(shopperId);
        }
    }

    private void RemoveLocked(string shopperId)
    {
        if (_slots.Remove(shopperId, out var slot))
        {
            _shoppers[slot] = null;
            _secrets[slot] = null;
            _tables.Clear();
            _windows.Clear();
            _lastWindow = null;
        }
    }

    /// <summary>Resolves an iBeacon major and minor heard at <paramref name="at"/>.</summary>
    public RotationMatch Resolve(ushort major, ushort minor, DateTimeOffset at)
    {
        lock (_lock)
        {
            return ResolveLocked(((uint)major << 16) | minor, null, RotatingIdentity.PeriodOf(at, PeriodSeconds));
        }
    }

    /// <summary>Resolves an Eddystone-EID heard at <paramref name="at"/>: its iBeacon twin, with all 8 bytes checked.</summary>
    public RotationMatch ResolveEid(ulong eid, DateTimeOffset at)
    {
        lock (_lock)
        {
            return ResolveLocked(RotatingIdentity.FromEid(eid).Key, eid, RotatingIdentity.PeriodOf(at, PeriodSeconds));
        }
    }

    /// <summary>Resolves a batch's sightings under one lock; <paramref name="results"/> gets one match per sighting.</summary>
    public void ResolveAll(ReadOnlySpan<HeardRotation> heard, Span<RotationMatch> results)
    {
        lock (_lock)
        {
            for (var i = 0; i < heard.Length; i++)
            {
                var h = heard[i];
                results[i] = ResolveLocked(h.Key, h.Eid, RotatingIdentity.PeriodOf(h.At, PeriodSeconds));
            }
        }
    }

    private RotationMatch ResolveLocked(uint key, ulong? eid, long period)
    {
        if (!WindowFor(period).TryGetValue(key, out var entry) || (eid is { } e && entry.Slot != SharedSlot && entry.EidTail != (uint)e))
        {
            return new RotationMatch(RotationOutcome.Unknown, null);
        }

        return entry switch
        {
            { Replay: true } => new RotationMatch(RotationOutcome.Replay, null),
            { Slot: SharedSlot } => new RotationMatch(RotationOutcome.Shared, null),
            _ => new RotationMatch(RotationOutcome.Live, _shoppers[entry.Slot]),
        };
    }

    /// <summary>
    /// One map for everything a sighting of <paramref name="period"/> may be: the identities of the tolerance's periods
    /// (an identity of two shoppers there is shared), then those of the replay window not already live. One lookup
    /// answers a sighting; batches mostly fall in one period, so the last window is kept at hand.
    /// </summary>
    private Dictionary<uint, Entry> WindowFor(long period)
    {
        if (_lastWindow is { } last && last.Period == period)
        {
            return last.Map;
        }

        if (!_windows.TryGetValue(period, out var map))
        {
            if (_windows.Count >= MaxWindows)
            {
                _windows.Remove(_windows.Keys.MaxBy(p => Math.Abs(p - period)));
            }

            map = new Dictionary<uint, Entry>(_slots.Count * ((2 * Tolerance) + 1 + ReplayWindow));
            for (var p = period - Tolerance; p <= period + Tolerance; p++)
            {
                foreach (var (key, entry) in TableFor(p, period))
                {
                    MergeLive(map, key, entry);
                }
            }

            for (var p = period - Tolerance - 1; p >= period - Tolerance - ReplayWindow; p--)
            {
                foreach (var (key, entry) in TableFor(p, period))
                {
                    map.TryAdd(key, entry with { Replay = true });
                }
            }

            _windows[period] = map;
        }

        _lastWindow = (period, map);
        return map;
    }

    private static void MergeLive(Dictionary<uint, Entry> window, uint key, Entry entry)
    {
        if (window.TryGetValue(key, out var existing) && !existing.Replay && existing.Slot != entry.Slot)
        {
            window[key] = existing with { Slot = SharedSlot };
        }
        else if (!window.TryGetValue(key, out existing) || existing.Replay)
        {
            window[key] = entry;
        }
    }

    private Dictionary<uint, Entry> TableFor(long period, long asked)
    {
        if (_tables.TryGetValue(period, out var table))
        {
            return table;
        }

        if (_tables.Count >= MaxTables)
        {
            // The period farthest from the one being resolved is the least likely to be asked again soon.
            _tables.Remove(_tables.Keys.MaxBy(p => Math.Abs(p - asked)));
        }

        table = new Dictionary<uint, Entry>(_slots.Count);
        for (var slot = 0; slot < _secrets.Count; slot++)
        {
            if (_secrets[slot] is { } secret)
            {
                Insert(table, RotatingIdentity.Derive(secret, _storeUuid, period), slot);
            }
        }

        _tables[period] = table;
        return table;
    }

    private static void Insert(Dictionary<uint, Entry> table, RotatedIdentity identity, int slot)
    {
        if (table.TryGetValue(identity.Key, out var existing) && existing.Slot != slot)
        {
            table[identity.Key] = existing with { Slot = SharedSlot };
            return;
        }

        table[identity.Key] = new Entry(slot, (uint)identity.Eid, Replay: false);
    }

    private readonly record struct Entry(int Slot, uint EidTail, bool Replay);
}

/// <summary>One heard rotating identity: its table key (major and minor), its EID if it came as Eddystone-EID, and when.</summary>
public readonly record struct HeardRotation(uint Key, ulong? Eid, DateTimeOffset At)
{
    public static HeardRotation IBeacon(ushort major, ushort minor, DateTimeOffset at) => new(((uint)major << 16) | minor, null, at);

    public static HeardRotation EddystoneEid(ulong eid, DateTimeOffset at) => new(RotatingIdentity.FromEid(eid).Key, eid, at);
}
