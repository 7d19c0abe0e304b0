using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Rules.Learning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>What every shopper grain of a node shares, so an activation holds one reference instead of a dozen.</summary>
internal sealed record ShopperServices(
    IStoreDirectory Stores,
    IZoneResolverFactory Resolvers,
    RedemptionModel Model,
    ICouponDelivery Delivery,
    ICouponCodes Codes,
    IOfferBooks Offers,
    IShopperResults Results,
    ShopperErasure Erasure,
    SilenceWatch Silence,
    IOptions<EngineOptions> Options,
    TimeProvider Time,
    ILogger<ShopperGrain> Logger)
{
    public EngineOptions Engine => Options.Value;
}
