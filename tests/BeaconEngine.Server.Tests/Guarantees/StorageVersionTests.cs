using BeaconEngine.Grains.Offers;
using BeaconEngine.Server.Storage;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// The SQLite grain storage never loses an update silently: a version is never handed out twice (also
/// after a delete and across a restart), and writers that retry on a conflict all land.
/// </summary>
public sealed class StorageVersionTests : IDisposable
{
    private static readonly GrainId Brand = GrainId.Create("brand", "acme");
    private readonly string _folder = EngineHost.NewDataPath();
    private readonly IServiceProvider _services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(BrandState).Assembly)).BuildServiceProvider();
    private SqliteStateStore _store;
    private SqliteGrainStorage _storage;

    public StorageVersionTests()
    {
        (_store, _storage) = Open();
    }

    [Fact]
    public async Task A_stale_writer_cannot_overwrite_a_row_deleted_and_created_again()
    {
        var writer = new GrainState<BrandState>(new BrandState { Name = "first" });
        await _storage.WriteStateAsync("brand", Brand, writer);
        var stale = new GrainState<BrandState>();
        await _storage.ReadStateAsync("brand", Brand, stale);

        await _storage.ClearStateAsync("brand", Brand, writer);
        writer.State = new BrandState { Name = "recreated" };
        await _storage.WriteStateAsync("brand", Brand, writer);
        Assert.NotEqual(stale.ETag, writer.ETag);

        stale.State!.Name = "stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("brand", Brand, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("brand", Brand, stale));
        Assert.Equal("recreated", (await ReadAsync()).State!.Name);
    }

    [Fact]
    public async Task Versions_are_not_reused_after_a_delete_and_a_restart()
    {
        var writer = new GrainState<BrandState>(new BrandState { Name = "first" });
        await _storage.WriteStateAsync("brand", Brand, writer);
        await _storage.WriteStateAsync("brand", Brand, writer);
        var stale = await ReadAsync();
        await _storage.ClearStateAsync("brand", Brand, writer);

        // The deleted row held the newest version in the file; a restart must still not hand it out again.
        _store.Dispose();
        (_store, _storage) = Open();
        var fresh = new GrainState<BrandState>(new BrandState { Name = "after restart" });
        await _storage.WriteStateAsync("brand", Brand, fresh);
        await _storage.WriteStateAsync("brand", Brand, fresh);
        Assert.True(long.Parse(fresh.ETag!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(stale.ETag!, System.Globalization.CultureInfo.InvariantCulture));

        stale.State!.Name = "stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("brand", Brand, stale));
        Assert.Equal("after restart", (await ReadAsync()).State!.Name);
    }

    [Fact]
    public async Task Concurrent_read_modify_write_with_retry_on_conflict_loses_no_update()
    {
        await _storage.WriteStateAsync("brand", Brand, new GrainState<BrandState>(new BrandState { Name = "shared" }));
        var conflicts = 0;

        // Every writer reads the same version first, so all but one must meet a conflict at least once.
        var firstReads = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => ReadAsync()));
        var writers = firstReads.Select((read, i) => Task.Run(async () =>
        {
            var s = read;
            while (true)
            {
                s.State!.OfferIds.Add($"off_{i}");
                try
                {
                    await _storage.WriteStateAsync("brand", Brand, s);
                    return;
                }
                catch (InconsistentStateException)
                {
                    // The conflict surfaced: read again and retry, as a grain's caller would.
                    Interlocked.Increment(ref conflicts);
                    s = await ReadAsync();
                }
            }
        }));
        await Task.WhenAll(writers);

        var final = await ReadAsync();
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"off_{i}").Order(StringComparer.Ordinal), final.State!.OfferIds.Order(StringComparer.Ordinal));
        Assert.True(conflicts >= 23, $"only {conflicts} conflicts: the writers did not collide, so the test proved nothing");
    }

    [Fact]
    public async Task Two_writers_on_one_file_such_as_two_server_processes_never_overwrite_each_other_silently()
    {
        // A second store on the same file is another process's writer, with its own idea of the counter.
        var (otherStore, other) = Open();
        using (otherStore)
        {
            var a = new GrainState<BrandState>(new BrandState { Name = "a1" });
            await _storage.WriteStateAsync("brand", Brand, a);
            await _storage.WriteStateAsync("brand", GrainId.Create("brand", "unrelated"), new GrainState<BrandState>(new BrandState { Name = "unrelated" }));
            var b = new GrainState<BrandState>();
            await other.ReadStateAsync("brand", Brand, b);

            // B writes on top of A's version; then A, still holding the version it wrote, tries again.
            b.State!.Name = "b";
            await other.WriteStateAsync("brand", Brand, b);
            a.State!.Name = "a2";
            await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("brand", Brand, a));
            Assert.Equal("b", (await ReadAsync()).State!.Name);

            // And the other way round, after the first writer has moved the counter on elsewhere.
            await _storage.WriteStateAsync("brand", GrainId.Create("brand", "other"), new GrainState<BrandState>(new BrandState { Name = "x" }));
            var fresh = await ReadAsync();
            fresh.State!.Name = "a3";
            await _storage.WriteStateAsync("brand", Brand, fresh);
            b.State!.Name = "b2";
            await Assert.ThrowsAsync<InconsistentStateException>(() => other.WriteStateAsync("brand", Brand, b));
            Assert.Equal("a3", (await ReadAsync()).State!.Name);
        }
    }

    public void Dispose()
    {
        _store.Dispose();
        EngineHost.TryDelete(_folder);
    }

    private (SqliteStateStore, SqliteGrainStorage) Open()
    {
        var store = new SqliteStateStore(Path.Combine(_folder, "state.db"));
        return (store, new SqliteGrainStorage(store, new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>())));
    }

    private async Task<GrainState<BrandState>> ReadAsync()
    {
        var read = new GrainState<BrandState>();
        await _storage.ReadStateAsync("brand", Brand, read);
        return read;
    }
}
