using System.Collections.Concurrent;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Proximity.Rotation;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// This node's resolver tables of rotating identities, one per store (<see cref="RotationTables"/>), kept in step
/// with the store's <see cref="IRotationRosterGrain"/>: shoppers enrolled or erased through this node at once, those
/// of other nodes within <see cref="RefreshEvery"/>. Derivation and sealing live here so the API and the ingestion
/// path agree on them. The period is the store's (<see cref="StoreLayout.RotationPeriod"/>), which cannot change while the
/// roster holds anyone.
/// </summary>
public sealed class RotatingIdentities(IGrainFactory grains, RotationSecretSealer sealer, TimeProvider time)
{
    /// <summary>Periods either side of a sighting's own that still count as live (phones' clocks drift).</summary>
    public const int TolerancePeriods = 1;

    /// <summary>Periods before the tolerance in which a heard identity is counted as a replay.</summary>
    public const int ReplayPeriods = 6;

    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, StoreTables> _stores = new(StringComparer.Ordinal);

    /// <summary>A new shopper's secret: sealed into the store's roster, and known to this node's tables at once.</summary>
    public async Task EnrolAsync(string storeId, Guid storeUuid, int periodSeconds, string shopperId, byte[] secret)
    {
        await grains.GetGrain<IRotationRosterGrain>(storeId).Add(shopperId, sealer.Seal(storeId, shopperId, secret));
        if (_stores.TryGetValue(storeId, out var store) && store.Uuid == storeUuid && store.Tables.PeriodSeconds == periodSeconds)
        {
            store.Tables.Add(shopperId, secret);
        }
    }

    /// <summary>The shopper's secret has gone from the roster (erasure); this node stops resolving it at once.</summary>
    public void Forget(string storeId, string shopperId)
    {
        if (_stores.TryGetValue(storeId, out var store))
        {
            store.Tables.Remove(shopperId);
        }
    }

    /// <summary>The shopper's secret, opened; null when they have none (or it no longer opens).</summary>
    public async Task<byte[]?> SecretAsync(string storeId, string shopperId) =>
        await grains.GetGrain<IRotationRosterGrain>(storeId).GetSealedSecret(shopperId) is { } sealedSecret
            ? sealer.Open(storeId, shopperId, sealedSecret)
            : null;

    /// <summary>The store's tables, brought up to date with its roster when they were last checked a while ago.</summary>
    public async ValueTask<RotationTables> TablesAsync(string storeId, Guid storeUuid, int periodSeconds)
    {
        var store = _stores.GetOrAdd(storeId, _ => new StoreTables(storeUuid, periodSeconds));
        if (store.Uuid != storeUuid || store.Tables.PeriodSeconds != periodSeconds)
        {
            // The store's UUID changed (it was deleted and made again), or its period (its roster was empty then): start over.
            store = _stores[storeId] = new StoreTables(storeUuid, periodSeconds);
        }

        var now = time.GetTimestamp();
        if (store.CheckedAt is { } checkedAt && time.GetElapsedTime(checkedAt, now) < RefreshEvery)
        {
            return store.Tables;
        }

        await store.Refresh.WaitAsync();
        try
        {
            if (store.CheckedAt is not { } again || time.GetElapsedTime(again, now) >= RefreshEvery)
            {
                await CatchUpAsync(storeId, store);
                store.CheckedAt = now;
            }
        }
        finally
        {
            store.Refresh.Release();
        }

        return store.Tables;
    }

    private async Task CatchUpAsync(string storeId, StoreTables store)
    {
        var changes = await grains.GetGrain<IRotationRosterGrain>(storeId).GetSince(store.Version);
        if (changes.Complete)
        {
            store.Tables.RemoveAllExcept(changes.Added.Select(a => a.ShopperId).ToHashSet(StringComparer.Ordinal));
        }

        foreach (var removed in changes.Removed)
        {
            store.Tables.Remove(removed);
        }

        foreach (var added in changes.Added)
        {
            if (!store.Tables.Contains(added.ShopperId) && sealer.Open(storeId, added.ShopperId, added.SealedSecret) is { } secret)
            {
                store.Tables.Add(added.ShopperId, secret);
            }
        }

        store.Version = changes.Version;
    }

    private sealed class StoreTables(Guid uuid, int periodSeconds)
    {
        public Guid Uuid { get; } = uuid;

        public RotationTables Tables { get; } = new(uuid, periodSeconds, TolerancePeriods, ReplayPeriods);

        public SemaphoreSlim Refresh { get; } = new(1, 1);

        public long Version { get; set; }

        public long? CheckedAt { get; set; }
    }
}
