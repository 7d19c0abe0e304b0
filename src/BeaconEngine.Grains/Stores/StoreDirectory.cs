using System.Collections.Concurrent;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Rules.Learning;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Stores;

/// <summary>
/// Caches store views per silo. The store grain publishes each change to the silo it lives on; views
/// are also refreshed after <see cref="RefreshAfter"/> so a change made on another silo is seen soon.
/// </summary>
public sealed class StoreDirectory(IGrainFactory grains, TimeProvider time, IOptions<EngineOptions> engine, RedemptionModel model) : IStoreDirectory
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TimeSpan RefreshAfter { get; init; } = TimeSpan.FromSeconds(5);

    public async ValueTask<StoreView?> GetAsync(string storeId)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(storeId, out var entry) && time.GetElapsedTime(entry.LoadedAt, now) < RefreshAfter)
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

    private Entry Store(StoreSnapshot snapshot, long now) =>
        _entries.AddOrUpdate(
            snapshot.StoreId,
            static (_, arg) => new Entry(new StoreView(arg.snapshot, arg.defaults), arg.now),
            static (_, existing, arg) => arg.snapshot.Version >= existing.View.Version
                ? new Entry(arg.snapshot.Version == existing.View.Version ? existing.View : new StoreView(arg.snapshot, arg.defaults), arg.now)
                : existing,
            (snapshot, now, defaults: engine.Value.Proximity));

    private sealed record Entry(StoreView View, long LoadedAt);
}
