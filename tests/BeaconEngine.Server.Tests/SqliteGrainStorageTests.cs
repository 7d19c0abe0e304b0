using BeaconEngine.Grains.Offers;
using BeaconEngine.Server.Storage;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace BeaconEngine.Server.Tests;

/// <summary>The grain storage on a real SQLite file: ETags guard every write, and nothing is overwritten blindly.</summary>
public sealed class SqliteGrainStorageTests : IDisposable
{
    private static readonly GrainId Brand = GrainId.Create("brand", "acme");
    private readonly string _folder = EngineHost.NewDataPath();
    private readonly SqliteStateStore _store;
    private readonly SqliteGrainStorage _storage;

    public SqliteGrainStorageTests()
    {
        _store = new SqliteStateStore(Path.Combine(_folder, "state.db"));
        var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(BrandState).Assembly)).BuildServiceProvider();
        _storage = new SqliteGrainStorage(_store, new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()));
    }

    [Fact]
    public async Task State_round_trips_with_a_fresh_etag_per_write()
    {
        var state = new GrainState<BrandState>(new BrandState { Name = "Acme", OfferIds = ["off_1"] });
        await _storage.WriteStateAsync("brand", Brand, state);
        var firstEtag = state.ETag;
        await _storage.WriteStateAsync("brand", Brand, state);

        var read = new GrainState<BrandState>();
        await _storage.ReadStateAsync("brand", Brand, read);

        Assert.True(read.RecordExists);
        Assert.Equal("Acme", read.State!.Name);
        Assert.Equal(["off_1"], read.State!.OfferIds);
        Assert.NotEqual(firstEtag, read.ETag);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task The_write_ahead_log_stays_bounded_under_writes_that_never_pause()
    {
        // 48 MB of writes with no pause: SQLite's own checkpoint is off, so only the store's background
        // checkpoints can copy the log into the file and start it again.
        var payload = new byte[4096];
        var versions = new long?[64];
        for (var i = 0; i < 12_000; i++)
        {
            payload[0] = (byte)i;
            var row = i % versions.Length;
            versions[row] = await _store.WriteAsync($"g{row}", "s", versions[row], payload);
        }

        // The last restart of the log happens at a write after the last checkpoint.
        await Task.Delay(TimeSpan.FromSeconds(1));
        versions[0] = await _store.WriteAsync("g0", "s", versions[0], payload);

        var log = new FileInfo(_store.DatabasePath + "-wal");
        Assert.True(log.Length <= 16 * 1024 * 1024, $"the write-ahead log is {log.Length:N0} bytes");
        Assert.Equal(unchecked((byte)11_973), (await _store.ReadAsync("g5", "s"))?.Data[0]);
    }

    [Fact]
    public async Task A_stale_write_fails_and_never_overwrites()
    {
        var a = new GrainState<BrandState>();
        var b = new GrainState<BrandState>();
        await _storage.ReadStateAsync("brand", Brand, a);
        await _storage.ReadStateAsync("brand", Brand, b);

        a.State!.Name = "first";
        await _storage.WriteStateAsync("brand", Brand, a);
        b.State!.Name = "second";
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("brand", Brand, b));

        var read = new GrainState<BrandState>();
        await _storage.ReadStateAsync("brand", Brand, read);
        Assert.Equal("first", read.State!.Name);

        // A stale clear is refused too.
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("brand", Brand, b));
        await _storage.ReadStateAsync("brand", Brand, read);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_etag_let_exactly_one_win()
    {
        var seed = new GrainState<BrandState>(new BrandState { Name = "seed" });
        await _storage.WriteStateAsync("brand", Brand, seed);

        var writers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var s = new GrainState<BrandState>(new BrandState { Name = $"writer-{i}" }) { ETag = seed.ETag, RecordExists = true };
            try
            {
                await _storage.WriteStateAsync("brand", Brand, s);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        var outcomes = await Task.WhenAll(writers);
        Assert.Equal(1, outcomes.Count(won => won));
    }

    [Fact]
    public async Task Clearing_deletes_the_row()
    {
        var state = new GrainState<BrandState>(new BrandState { Name = "gone soon" });
        await _storage.WriteStateAsync("brand", Brand, state);
        await _storage.ClearStateAsync("brand", Brand, state);

        Assert.Null(await _store.ReadAsync(Brand.ToString(), "brand"));
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task A_delete_while_a_reader_holds_the_log_is_erased_from_the_files_once_it_lets_go()
    {
        var secret = $"secret-{Guid.NewGuid():N}";
        var version = await _store.WriteAsync("shopper", "s", null, System.Text.Encoding.UTF8.GetBytes(secret));
        await _store.WriteAsync("other", "s", null, [1]);

        // A reader in the middle of a read transaction keeps the log's frames in use, so the delete's checkpoint
        // cannot empty the log (it would have up to the reader's snapshot).
        await using (var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_store.DatabasePath};Pooling=False"))
        {
            await reader.OpenAsync();
            using var transaction = reader.BeginTransaction(deferred: true);
            await using (var read = reader.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT count(*) FROM grain_state";
                Assert.Equal(2L, await read.ExecuteScalarAsync());
            }

            Assert.True(await _store.DeleteAsync("shopper", "s", version!.Value));
            Assert.True(FilesHold(secret), "the reader's snapshot still needs the deleted row, so the log keeps it");
        }

        // The reader is gone: the background checkpoint finishes the erasure without another delete.
        await Eventually.WaitAsync(() => Task.FromResult(FilesHold(secret)), held => !held, TimeSpan.FromSeconds(10), "the deleted row to leave the files");
        Assert.Null(await _store.ReadAsync("shopper", "s"));
        Assert.NotNull(await _store.ReadAsync("other", "s"));
    }

    private bool FilesHold(string secret)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(secret);
        foreach (var file in Directory.GetFiles(_folder, "state.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (copy.ToArray().AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        _store.Dispose();
        EngineHost.TryDelete(_folder);
    }
}
