using System.Collections.Concurrent;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Rules.Learning;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Stores;

/// <summary>
/// Caches store views per silo. The store grain publishes each change to the silo it lives on; views
/// are also refreshed after <see cref="RefreshAfter"/> so a change made on another silo is seen soon.
/// In a cluster, the other nodes are told of each change and call <see cref="Invalidate"/>.
/// </summary>
public sealed class StoreDirectory(IGrainFactory grains, TimeProvider time, IOptions<EngineOptions> engine, RedemptionModel model) : IStoreDirectory
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // The lowest version a cached view may have, per store, as announced by another node.
    private readonly ConcurrentDictionary<string, long> _required = new(StringComparer.Ordinal);

    public TimeSpan RefreshAfter { get; init; } = TimeSpan.FromSeconds(5);

    public async ValueTask<StoreView?> GetAsync(string storeId)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(storeId, out var entry) && time.GetElapsedTime(entry.LoadedAt, now) < RefreshAfter
            && (!_required.TryGetValue(storeId, out var required) || entry.View.Version >= required))
        {
            return entry.View;
        }

        var snapshot = await grains.GetGrain<IStoreGrain>(storeId).GetSnapshot();
        if (snapshot is null)
        {
            return null;
        }

        if (entry is null || entry.View.Version != snapshot.Version)
        {
            // A first look at the store, or a changed catalog: take up what the store has learned so far.
            foreach (var count in await grains.GetGrain<IOfferLearningGrain>(storeId).GetCounts())
            {
                model.Seed(count.OfferId, count.Redeemed, count.NotRedeemed, count.Segment);
            }
        }

        return Store(snapshot, now).View;
    }

    public void Publish(StoreSnapshot snapshot) => Store(snapshot, time.GetTimestamp());

    /// <summary>
    /// The store has reached <paramref name="version"/> on another node: a cached view older than that is
    /// read again on its next use. A read already on its way with an older snapshot cannot undo this.
    /// </summary>
    public void Invalidate(string storeId, long version) =>
        _required.AddOrUpdate(storeId, version, (_, known) => Math.Max(known, version));

    private Entry Store(StoreSnapshot snapshot, long now) =>
        _entries.AddOrUpdate(
            snapshot.StoreId,
            static (_, arg) => new Entry(new StoreView(arg.snapshot, arg.defaults.Proximity, arg.defaults.GlobalControlShare), arg.now),
            static (_, existing, arg) => arg.snapshot.Version >= existing.View.Version
                ? new Entry(arg.snapshot.Version == existing.View.Version ? existing.View : new StoreView(arg.snapshot, arg.defaults.Proximity, arg.defaults.GlobalControlShare), arg.now)
                : existing,
            (snapshot, now, defaults: engine.Value));

    private sealed record Entry(StoreView View, long LoadedAt);
}
