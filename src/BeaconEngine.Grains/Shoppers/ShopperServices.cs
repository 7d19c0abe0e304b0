using BeaconEngine.Grains.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>What every shopper grain of a node shares, so an activation holds one reference instead of a dozen.</summary>
internal sealed record ShopperServices(
    IStoreDirectory Stores,
    IZoneResolverFactory Resolvers,
    CouponIssuing Issuing,
    IOfferBooks Offers,
    IShopperResults Results,
    ShopperLifecycle Lifecycle,
    SilenceWatch Silence,
    IOptions<EngineOptions> Options,
    TimeProvider Time,
    ILogger<ShopperGrain> Logger,
    Events.IStoreEventLogs EventLogs,
    ShopperPorts Ports,
    [FromKeyedServices(StorageNames.State)] Orleans.Storage.IGrainStorage Storage)
{
    public EngineOptions Engine => Options.Value;
}
