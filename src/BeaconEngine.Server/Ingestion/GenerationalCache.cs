using System.Collections.Concurrent;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// A bounded, thread-safe map that never empties at once. New entries go into a young generation; when it
/// holds half the capacity, the old generation is let go and the young one becomes the old one. A hit in the
/// old generation moves the entry back to the young one, so what is in use survives a turn and what is not
/// leaves within two. It holds at most <c>capacity</c> entries, and after a turn still answers for the
/// half most recently written or used.
/// </summary>
internal sealed class GenerationalCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly int _generation = Math.Max(1, capacity / 2);
    private readonly Lock _turning = new();
    private Generation _young = new();
    private Generation _old = new();

    public int Count => _young.Entries.Count + _old.Entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_young.Entries.TryGetValue(key, out value!))
        {
            return true;
        }

        if (_old.Entries.TryGetValue(key, out value!))
        {
            Set(key, value);
            return true;
        }

        return false;
    }

    public void Set(TKey key, TValue value)
    {
        var young = _young;
        if (young.Entries.TryAdd(key, value))
        {
            if (Interlocked.Increment(ref young.Added) >= _generation)
            {
                Turn(young);
            }
        }
        else
        {
            young.Entries[key] = value;
        }
    }

    public void Remove(TKey key)
    {
        _young.Entries.TryRemove(key, out _);
        _old.Entries.TryRemove(key, out _);
    }

    private void Turn(Generation full)
    {
        lock (_turning)
        {
            // Another thread may have turned it already.
            if (_young == full)
            {
                _old = full;
                _young = new Generation();
            }
        }
    }

    private sealed class Generation
    {
        // The key's own equality (ordinal for strings); a struct key is held inline in the entry.
        public readonly ConcurrentDictionary<TKey, TValue> Entries = new();

        // Adds since the generation began (a concurrent dictionary's Count takes every lock).
        public int Added;
    }
}
