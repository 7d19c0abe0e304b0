using BeaconEngine.Grains.Gateways;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Mqtt;

namespace BeaconEngine.Server.Hosting;

public static class GatewayHostingExtensions
{
    /// <summary>Batch ids, gateway health and metrics, and MQTT ingestion when a broker is configured.</summary>
    public static WebApplicationBuilder AddBeaconEngineGateways(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IGatewayHealthBoard, GatewayHealthBoard>();
        services.AddSingleton<IngestionMetrics>();
        services.AddSingleton(sp => new IngestionGate(
            sp.GetService<Limits.ServerLimitOptions>()?.MaxSightingsInFlight ?? new Limits.ServerLimitOptions().MaxSightingsInFlight,
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<BatchIngestor>();
        services.Configure<MqttIngestionOptions>(builder.Configuration.GetSection(MqttIngestionOptions.Section));
        services.AddSingleton<MqttMessageHandler>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{MqttIngestionOptions.Section}:{nameof(MqttIngestionOptions.ConnectionString)}"]))
        {
            services.AddHostedService<MqttIngestionService>();
        }

        return builder;
    }

    public static WebApplication MapBeaconEngineGateways(this WebApplication app)
    {
        app.MapGatewayEndpoints();
        return app;
    }
}
