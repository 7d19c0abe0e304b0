using BeaconEngine.Server.Limits;

namespace BeaconEngine.Server.Hosting;

public static class LimitsHostingExtensions
{
    /// <summary>
    /// Connection limits in all and per address (a connection middleware ahead of HTTP), Kestrel's own
    /// limits as the backstop, header and keep-alive timeouts, and the hub's per-shopper connection cap.
    /// See <see cref="ServerLimitOptions"/> and docs/security.md.
    /// </summary>
    public static WebApplicationBuilder AddBeaconEngineLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(ServerLimitOptions.Section).Get<ServerLimitOptions>() ?? new ServerLimitOptions();
        limits.Check();
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton<ConnectionGate>();
        builder.Services.AddSingleton<ShopperConnections>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Kestrel's own cap sits a little above the gate's, so the gate answers a 503 first and
            // Kestrel's plain close only bites if even the refusals pile up.
            k.Limits.MaxConcurrentConnections = limits.MaxConnections + 64;
            k.Limits.MaxConcurrentUpgradedConnections = limits.MaxConnections;
            k.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            k.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            k.ConfigureEndpointDefaults(listen => listen.Use(next => k.ApplicationServices.GetRequiredService<ConnectionGate>().Wrap(next)));
        });
        return builder;
    }
}
