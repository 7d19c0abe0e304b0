using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Rules.Learning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BeaconEngine.Grains.Hosting;

public static class GrainServiceCollectionExtensions
{
    /// <summary>The services the grains need, except the ports (<see cref="Coupons.ICouponPusher"/>) the host provides.</summary>
    public static IServiceCollection AddBeaconEngineGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddOptions<EngineOptions>();
        services.AddSingleton<IStoreDirectory, StoreDirectory>();
        services.AddSingleton<IZoneResolverFactory, ZoneResolverFactory>();
        services.AddSingleton<RedemptionModel>();
        services.AddSingleton<Coupons.CouponCodeBook>();
        services.AddSingleton<Coupons.ICouponCodes>(sp => sp.GetRequiredService<Coupons.CouponCodeBook>());
        services.AddSingleton<Coupons.CouponLatency>();
        services.AddSingleton<Coupons.ICouponDelivery, Coupons.CouponDelivery>();
        services.AddSingleton<SilenceWatch>();
        services.AddSingleton<IOfferBooks, GrainOfferBooks>();
        services.AddSingleton<IShopperResults, ShopperResults>();
        services.AddSingleton<ShopperLifecycle>();
        services.AddSingleton<Events.StoreEventFeed>();
        services.AddSingleton<Events.IStoreEventLogs>(sp => sp.GetRequiredService<Events.StoreEventFeed>());
        services.AddOptions<Events.StoreEventOptions>();
        services.AddSingleton(sp => new CouponIssuing(
            sp.GetRequiredService<IOfferBooks>(),
            sp.GetRequiredService<Coupons.ICouponCodes>(),
            sp.GetRequiredService<IShopperResults>(),
            sp.GetRequiredService<Coupons.ICouponDelivery>(),
            sp.GetRequiredService<RedemptionModel>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EngineOptions>>().Value,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CouponIssuer>>()));
        services.AddSingleton<ShopperPorts>();
        services.AddSingleton<ShopperServices>();
        services.AddSingleton<Gateways.BatchFanOut>();
        services.TryAddSingleton<Gateways.IGatewayHealthBoard, Gateways.GatewayHealthBoard>();
        services.AddSingleton<Cluster.CouponRoute>();
        return services;
    }
}
