namespace BeaconEngine.Proximity.Rotation;

/// <summary>
/// Resolves one store's rotating identities to shoppers through per-period tables (identity → shopper), built
/// from the shoppers' secrets the first time a period is asked for. A sighting looks in the tables of its own
/// period and the <see cref="Tolerance"/> periods either side (phones' clocks drift), then in the
/// <see cref="ReplayWindow"/> periods before those, where a hit is a replay: a fixed number of dictionary
/// lookups whatever the number of shoppers. At most <see cref="MaxTables"/> periods are kept, so memory is
/// bounded by that times the number of shoppers. Thread-safe: one lock, taken once per batch by
/// <see cref="ResolveAll"/>.
/// </summary>
public sealed class RotationTables
{
    private const int SharedSlot = -1;

    private readonly Guid _storeUuid;
    private readonly List<string?> _shoppers = [];
    private readonly List<byte[]?> _secrets = [];
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Dictionary<uint, Entry>> _tables = [];
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
        var found = -2;
        for (var p = period - Tolerance; p <= period + Tolerance; p++)
        {
            if (TableFor(p, period).TryGetValue(key, out var entry) && Matches(entry, eid))
            {
                if (entry.Slot == SharedSlot || (found >= 0 && found != entry.Slot))
                {
                    return new RotationMatch(RotationOutcome.Shared, null);
                }

                found = entry.Slot;
            }
        }

        if (found >= 0)
        {
            return new RotationMatch(RotationOutcome.Live, _shoppers[found]);
        }

        for (var p = period - Tolerance - 1; p >= period - Tolerance - ReplayWindow; p--)
        {
            if (TableFor(p, period).TryGetValue(key, out var entry) && Matches(entry, eid))
            {
                return new RotationMatch(RotationOutcome.Replay, null);
            }
        }

        return new RotationMatch(RotationOutcome.Unknown, null);
    }

    // A shared entry keeps the first shopper's EID tail; the key alone already makes it shared for iBeacon.
    private static bool Matches(Entry entry, ulong? eid) => eid is not { } e || entry.Slot == SharedSlot || entry.EidTail == (uint)e;

    private Dictionary<uint, Entry> TableFor(long period, long asked)
    {
        if (_tables.TryGetValue(period, out var table))
        {
            return table;
        }

        if (_tables.Count >= MaxTables)
        {
            // The period farthest from the one being resolved is the least likely to be asked again soon.
            var farthest = _tables.Keys.MaxBy(p => Math.Abs(p - asked));
            _tables.Remove(farthest);
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

        table[identity.Key] = new Entry(slot, (uint)identity.Eid);
    }

    private readonly record struct Entry(int Slot, uint EidTail);
}

/// <summary>One heard rotating identity: its table key (major and minor), its EID if it came as Eddystone-EID, and when.</summary>
public readonly record struct HeardRotation(uint Key, ulong? Eid, DateTimeOffset At)
{
    public static HeardRotation IBeacon(ushort major, ushort minor, DateTimeOffset at) => new(((uint)major << 16) | minor, null, at);

    public static HeardRotation EddystoneEid(ulong eid, DateTimeOffset at) => new(RotatingIdentity.FromEid(eid).Key, eid, at);
}
