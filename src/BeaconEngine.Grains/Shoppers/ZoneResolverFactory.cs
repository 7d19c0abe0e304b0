using BeaconEngine.Proximity.Zones;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Shoppers;

internal sealed class ZoneResolverFactory(IOptions<EngineOptions> options) : IZoneResolverFactory
{
    public IZoneResolver Create(string storeId) => new StrongestGatewayResolver(options.Value.Proximity);
}
