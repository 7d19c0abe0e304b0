using BeaconEngine.Grains.Events;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Events;

/// <summary>Each store's event stream and webhook (section <c>BeaconEngine:Events</c>).</summary>
public static class EventHostingExtensions
{
    public static WebApplicationBuilder AddBeaconEngineEvents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<StoreEventOptions>(builder.Configuration.GetSection(StoreEventOptions.Section));
        services.AddHttpClient(StoreWebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Receivers are asked to answer, not to send the server elsewhere.
                AllowAutoRedirect = false,
                ConnectCallback = sp.GetRequiredService<IOptions<StoreEventOptions>>().Value.Webhook.AllowInternalTargets
                    ? null
                    : WebhookTargets.ConnectPublicOnlyAsync,
            });
        services.AddSingleton<IStoreWebhookSender, StoreWebhookSender>();
        services.AddHostedService<StoreWebhookResumer>();
        return builder;
    }
}
