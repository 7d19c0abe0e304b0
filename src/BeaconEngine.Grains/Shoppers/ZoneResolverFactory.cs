using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>The store's resolver options (engine defaults with the store's overrides) and its zone adjacency.</summary>
internal sealed class ZoneResolverFactory : IZoneResolverFactory
{
    public IZoneResolver Create(StoreView store) => new ZoneResolver(store.ResolverOptions, store.ZoneModel);
}
