using System.Globalization;

namespace BeaconEngine.Gateway.Queue;

/// <summary>
/// The store-and-forward queue: one file per batch in a folder, named by sequence number, so it survives a restart
/// of the agent (or of the box) and is sent in order. A batch is written to a temporary file, flushed to disk and
/// renamed, so a crash leaves either the whole batch or none of it. Bounded by batches and bytes: past either bound
/// the oldest batch is dropped (the newest sightings matter most to a live store) and its sightings are counted in
/// <see cref="DroppedSightings"/>, which is kept on disk too.
/// </summary>
public sealed class DiskQueue : IDisposable
{
    private const string Extension = ".batch";
    private const string DroppedFile = "dropped";

    private readonly string _folder;
    private readonly int _maxBatches;
    private readonly long _maxBytes;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, Entry> _entries = [];
    private readonly SemaphoreSlim _available = new(0);
    private long _next;
    private long _bytes;
    private long _droppedSightings;
    private long _droppedBatches;

    public DiskQueue(string folder, int maxBatches, long maxBytes)
    {
        _folder = folder;
        _maxBatches = Math.Max(1, maxBatches);
        _maxBytes = Math.Max(1, maxBytes);
        Directory.CreateDirectory(folder);
        foreach (var leftover in Directory.EnumerateFiles(folder, "*.tmp"))
        {
            File.Delete(leftover);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            if (TryParseName(Path.GetFileName(file), out var sequence, out var count, out var batchId))
            {
                var length = new FileInfo(file).Length;
                _entries[sequence] = new Entry(file, batchId, count, length);
                _bytes += length;
                _next = Math.Max(_next, sequence + 1);
            }
        }

        var dropped = Path.Combine(folder, DroppedFile);
        if (File.Exists(dropped) && File.ReadAllText(dropped).Split(' ') is [var s, var b])
        {
            _droppedSightings = long.Parse(s, CultureInfo.InvariantCulture);
            _droppedBatches = long.Parse(b, CultureInfo.InvariantCulture);
        }

        if (_entries.Count > 0)
        {
            _available.Release(_entries.Count);
        }
    }

    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    public long DroppedSightings => Interlocked.Read(ref _droppedSightings);

    public long DroppedBatches => Interlocked.Read(ref _droppedBatches);

    /// <summary>Writes a batch durably; its id is given by the caller, so a retry after a restart keeps it.</summary>
    public void Enqueue(string batchId, int count, byte[] body)
    {
        lock (_gate)
        {
            var sequence = _next++;
            var path = Path.Combine(_folder, string.Create(CultureInfo.InvariantCulture, $"{sequence:D16}_{count}_{batchId}{Extension}"));
            var temporary = path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(body);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path);
            _entries[sequence] = new Entry(path, batchId, count, body.Length);
            _bytes += body.Length;
            while (_entries.Count > 1 && (_entries.Count > _maxBatches || _bytes > _maxBytes))
            {
                var (oldest, entry) = _entries.First();
                Drop(oldest, entry);
            }
        }

        _available.Release();
    }

    /// <summary>The oldest batch, waiting for one if the queue is empty. It stays queued until <see cref="Remove"/>.</summary>
    public async Task<QueuedBatch> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryPeek() is { } batch)
            {
                return batch;
            }

            await _available.WaitAsync(cancellationToken);
        }
    }

    public QueuedBatch? TryPeek()
    {
        lock (_gate)
        {
            foreach (var (sequence, entry) in _entries)
            {
                try
                {
                    return new QueuedBatch(sequence, entry.BatchId, entry.Count, File.ReadAllBytes(entry.Path));
                }
                catch (IOException)
                {
                    // A file that cannot be read is gone for good; count it as dropped rather than block the queue.
                    Drop(sequence, entry);
                }
            }

            return null;
        }
    }

    /// <summary>Removes a delivered batch (a no-op if it was dropped meanwhile).</summary>
    public void Remove(QueuedBatch batch)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(batch.Sequence, out var entry))
            {
                Forget(batch.Sequence, entry);
            }
        }
    }

    public void Dispose() => _available.Dispose();

    /// <summary>Drops a batch undelivered and counts its sightings, on disk too, so the count survives a restart.</summary>
    private void Drop(long sequence, Entry entry)
    {
        Forget(sequence, entry);
        _droppedSightings += entry.Count;
        _droppedBatches++;
        var path = Path.Combine(_folder, DroppedFile);
        File.WriteAllText(path + ".tmp", string.Create(CultureInfo.InvariantCulture, $"{_droppedSightings} {_droppedBatches}"));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private void Forget(long sequence, Entry entry)
    {
        _entries.Remove(sequence);
        _bytes -= entry.Length;
        try
        {
            File.Delete(entry.Path);
        }
        catch (IOException)
        {
            // Removed from the queue already; a stray file is swept at the next start only if it is still named a batch.
        }
    }

    private static bool TryParseName(string name, out long sequence, out int count, out string batchId)
    {
        sequence = 0;
        count = 0;
        batchId = "";
        var parts = Path.GetFileNameWithoutExtension(name).Split('_', 3);
        if (parts.Length != 3 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out sequence) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out count))
        {
            return false;
        }

        batchId = parts[2];
        return true;
    }

    private sealed record Entry(string Path, string BatchId, int Count, long Length);
}
