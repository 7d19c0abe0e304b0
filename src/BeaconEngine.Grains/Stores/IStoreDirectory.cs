using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Grains.Stores;

/// <summary>This silo's cache of store views, so the sighting path does not call the store grain every time.</summary>
public interface IStoreDirectory
{
    /// <summary>The store's current view, or null if the store does not exist.</summary>
    ValueTask<StoreView?> GetAsync(string storeId);

    /// <summary>Called by the store grain after every change; an older snapshot never replaces a newer one.</summary>
    void Publish(StoreSnapshot snapshot);
}
