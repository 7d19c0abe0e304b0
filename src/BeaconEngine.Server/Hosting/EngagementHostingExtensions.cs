using BeaconEngine.Grains.Coupons;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Events;
using BeaconEngine.Server.Push;
using Microsoft.Extensions.FileProviders;
using Scalar.AspNetCore;

namespace BeaconEngine.Server.Hosting;

/// <summary>Results for brands and control for shoppers: purchases, analytics, self-service, push webhooks, the console.</summary>
public static class EngagementHostingExtensions
{
    public const string ConsolePath = "/console";
    public const string AppPath = "/app";
    public const string ReferencePath = "/docs";

    public static WebApplicationBuilder AddBeaconEngineEngagement(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<PushOptions>(builder.Configuration.GetSection(PushOptions.Section));
        services.AddHttpClient(WebhookDispatcher.ClientName);
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.AddBeaconEngineEvents();

        // The host's own pusher (SignalR) stays the in-app channel; the channel pusher wraps it.
        var inApp = services.LastOrDefault(d => d.ServiceType == typeof(ICouponPusher))
            ?? throw new InvalidOperationException("Register the host's ICouponPusher (the silo) before the engagement services.");
        services.Remove(inApp);
        services.AddSingleton<ICouponPusher>(sp => new ChannelCouponPusher(
            Resolve(sp, inApp),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<WebhookDispatcher>()));
        return builder;
    }

    public static WebApplication MapBeaconEngineEngagement(this WebApplication app)
    {
        app.MapPurchaseEndpoints();
        app.MapLoyaltyEndpoints();
        app.MapSelfServiceEndpoints();
        app.MapStoreLiveEndpoints();
        app.MapProgrammeEndpoints();
        app.MapZoneAnalyticsEndpoints();
        app.MapEventEndpoints();

        // Scalar's script is served from its package: the reference page works with no internet access.
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("BeaconEngine API")
                .AddPreferredSecuritySchemes("bearerKey")
                .ExpandAllTags()
                .HideDeveloperTools()
                .DisableDefaultFonts()
                .DisableAgent()
                .DisableTelemetry())
            .AllowAnonymous();

        var console = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseStaticFiles(new StaticFileOptions { FileProvider = console });
        app.MapGet("/", () => TypedResults.Redirect(ConsolePath + "/")).ExcludeFromDescription();

        MapPage(app, console, ConsolePath);

        // The shopper's web app: its join link is /app/?store=<storeId> (the demo seed prints it).
        MapPage(app, console, AppPath);
        return app;
    }

    /// <summary>
    /// Serves a folder's index.html at "/name/". Routing matches "/name" and "/name/" alike; the page's relative
    /// links (and the app's service worker scope) need the slash, so "/name" is redirected, its query kept.
    /// </summary>
    private static void MapPage(WebApplication app, PhysicalFileProvider files, string path) =>
        app.MapGet(path, (HttpRequest request) => request.Path.Value!.EndsWith('/')
                ? (IResult)TypedResults.File(files.GetFileInfo(path.TrimStart('/') + "/index.html").CreateReadStream(), "text/html; charset=utf-8")
                : TypedResults.Redirect(path + "/" + request.QueryString))
            .AllowAnonymous().ExcludeFromDescription();

    private static ICouponPusher Resolve(IServiceProvider sp, ServiceDescriptor d) => d switch
    {
        { ImplementationInstance: ICouponPusher instance } => instance,
        { ImplementationFactory: { } factory } => (ICouponPusher)factory(sp),
        { ImplementationType: { } type } => (ICouponPusher)ActivatorUtilities.CreateInstance(sp, type),
        _ => throw new InvalidOperationException("The host's ICouponPusher registration is not supported."),
    };
}
