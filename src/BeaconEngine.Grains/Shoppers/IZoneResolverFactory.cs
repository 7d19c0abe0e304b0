using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>Makes the zone resolver for a shopper of a store.</summary>
public interface IZoneResolverFactory
{
    IZoneResolver Create(StoreView store);
}
