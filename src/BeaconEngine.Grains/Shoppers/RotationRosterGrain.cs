using BeaconEngine.Contracts.Shoppers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// A store's rotation secrets, sealed, in <see cref="BucketCount"/> bucket rows beside a head row that holds the
/// version and the latest changes. An enrolment or an erasure writes the head, then the one bucket the shopper's
/// secret lives in: a store of 100,000 rotating shoppers rewrites about 400 of them and the head's 16 latest changes,
/// not all of them. Everything is read into memory on activation, so nodes' lookups and catch-ups never touch the
/// storage; the latest 1,000 changes are kept in memory for nodes catching up.
/// </summary>
internal sealed class RotationRosterGrain(
    [PersistentState("rotation", StorageNames.State)] IPersistentState<RotationRosterState> state) : Grain, IRotationRosterGrain
{
    /// <summary>How many bucket rows a roster spreads its secrets over. Changing it would need the rows moved.</summary>
    internal const int BucketCount = 256;

    // Enough for nodes that check every few seconds to catch up change by change.
    private const int KeptChanges = 1_000;

    // The head stores only the latest changes: enough to finish an interrupted write and for nodes a little behind
    // to catch up after the roster moved; a node further behind then reads the whole roster once.
    private const int StoredChanges = 16;

    private readonly Dictionary<int, RosterBucketRow> _rows = [];
    private readonly List<RosterChange> _changes = [];
    private readonly HashSet<int> _unstored = [];
    private IGrainStorage _storage = null!;
    private int _count;

    private RotationRosterState Head => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);
        foreach (var bucket in Head.Buckets.ToArray())
        {
            await RowAsync(bucket);
        }

        // A roster kept before buckets: its secrets move into them, and the head keeps none once they are stored.
        var legacy = Head.Secrets.Count > 0;
        foreach (var (shopperId, sealedSecret) in Head.Secrets)
        {
            var bucket = BucketOf(shopperId);
            (await RowAsync(bucket)).State.Secrets[shopperId] = sealedSecret;
            _unstored.Add(bucket);
        }

        // The head is written before the bucket: a removal the crash kept from its bucket is finished now.
        foreach (var change in Head.Changes.GroupBy(c => c.ShopperId, StringComparer.Ordinal).Select(g => g.Last()).Where(c => c.Removed))
        {
            var bucket = BucketOf(change.ShopperId);
            if (_rows.TryGetValue(bucket, out var row) && row.State.Secrets.Remove(change.ShopperId))
            {
                _unstored.Add(bucket);
            }
        }

        _changes.AddRange(Head.Changes);
        _count = _rows.Values.Sum(r => r.State.Secrets.Count);
        await StoreBucketsAsync();
        if (legacy)
        {
            Head.Secrets = new(StringComparer.Ordinal);
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task Add(string shopperId, byte[] sealedSecret)
    {
        await StoreBucketsAsync();
        var bucket = BucketOf(shopperId);
        var secrets = (await RowAsync(bucket)).State.Secrets;
        if (secrets.TryAdd(shopperId, sealedSecret))
        {
            _count++;
        }
        else
        {
            secrets[shopperId] = sealedSecret;
        }

        await RecordAsync(shopperId, bucket, removed: false);
    }

    public async Task Remove(string shopperId)
    {
        await StoreBucketsAsync();
        var bucket = BucketOf(shopperId);
        if (_rows.TryGetValue(bucket, out var row) && row.State.Secrets.Remove(shopperId))
        {
            _count--;
            await RecordAsync(shopperId, bucket, removed: true);
        }
    }

    public Task<int> Count() => Task.FromResult(_count);

    public Task<byte[]?> GetSealedSecret(string shopperId) => Task.FromResult(Secret(shopperId));

    public Task<RosterChanges> GetSince(long version)
    {
        var head = Head;
        if (version == head.Version)
        {
            return Task.FromResult(new RosterChanges(version, false, [], []));
        }

        // Changes are known from the version before the oldest kept one; anything older gets the whole roster.
        if (version > 0 && version <= head.Version && _changes.Count > 0 && _changes[0].Version <= version + 1)
        {
            var latest = _changes.Where(c => c.Version > version).GroupBy(c => c.ShopperId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
            return Task.FromResult(new RosterChanges(
                head.Version,
                false,
                [.. latest.Where(c => !c.Removed).Select(c => (c.ShopperId, Secret: Secret(c.ShopperId))).Where(c => c.Secret is not null).Select(c => new RosterEntry(c.ShopperId, c.Secret!))],
                [.. latest.Where(c => c.Removed).Select(c => c.ShopperId)]));
        }

        return Task.FromResult(new RosterChanges(
            head.Version, true, [.. _rows.Values.SelectMany(r => r.State.Secrets).Select(p => new RosterEntry(p.Key, p.Value))], []));
    }

    /// <summary>A shopper's bucket: FNV-1a of the id, the same on every node and in every process.</summary>
    internal static int BucketOf(string shopperId)
    {
        var hash = 2166136261u;
        foreach (var c in shopperId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % BucketCount);
    }

    private byte[]? Secret(string shopperId) =>
        _rows.TryGetValue(BucketOf(shopperId), out var row) ? row.State.Secrets.GetValueOrDefault(shopperId) : null;

    /// <summary>The bucket's row, read once; one the head does not list yet is read too, in case a crash left it.</summary>
    private async ValueTask<RosterBucketRow> RowAsync(int bucket)
    {
        if (!_rows.TryGetValue(bucket, out var row))
        {
            row = new RosterBucketRow();
            await _storage.ReadStateAsync(RosterBucketRow.Name(bucket), this.GetGrainId(), row);
            _rows[bucket] = row;
            if (!Head.Buckets.Contains(bucket))
            {
                Head.Buckets.Add(bucket);
            }
        }

        return row;
    }

    private async Task RecordAsync(string shopperId, int bucket, bool removed)
    {
        var head = Head;
        head.Version++;
        var change = new RosterChange { Version = head.Version, ShopperId = shopperId, Removed = removed };
        _changes.Add(change);
        if (_changes.Count > KeptChanges)
        {
            _changes.RemoveRange(0, _changes.Count - KeptChanges);
        }

        head.Changes.Add(change);
        if (head.Changes.Count > StoredChanges)
        {
            head.Changes.RemoveRange(0, head.Changes.Count - StoredChanges);
        }

        _unstored.Add(bucket);
        try
        {
            await state.WriteStateAsync();
            await StoreBucketsAsync();
        }
        catch
        {
            // What is in memory may now be ahead of what is stored: the next call reads it all again.
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task StoreBucketsAsync()
    {
        foreach (var bucket in _unstored.ToArray())
        {
            await _storage.WriteStateAsync(RosterBucketRow.Name(bucket), this.GetGrainId(), _rows[bucket]);
            _unstored.Remove(bucket);
        }
    }
}
