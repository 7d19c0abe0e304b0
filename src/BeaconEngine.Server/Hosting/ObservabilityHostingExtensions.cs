using System.Diagnostics.Metrics;
using System.Text.Json;
using BeaconEngine.Grains;
using BeaconEngine.Server.Health;
using BeaconEngine.Server.Observability;
using BeaconEngine.Server.Security;
using BeaconEngine.Server.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BeaconEngine.Server.Hosting;

/// <summary>
/// What an operator watches: OpenTelemetry metrics (ASP.NET Core, HttpClient, Orleans and the engine's own
/// meters) scraped at <c>/metrics</c> in Prometheus text and pushed over OTLP when an endpoint is set; traces
/// over OTLP (a batch's HTTP request, its grain calls and the coupon's push in one trace); and health checks
/// for liveness and readiness. See docs/operations.md.
/// </summary>
public static class ObservabilityHostingExtensions
{
    public const string MetricsPath = "/metrics";
    public const string HealthPath = "/health";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";
    private static readonly HttpMethodMetadata GetOnly = new(["GET", "HEAD"]);

    // Orleans' meter and activity sources (grain calls on both sides, runtime work).
    private const string OrleansMeterName = "Microsoft.Orleans";
    private static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static WebApplicationBuilder AddBeaconEngineObservability(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var endpoint = FirstSet(telemetry.OtlpEndpoint, configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var protocol = FirstSet(telemetry.OtlpProtocol, configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        var frontend = configuration.GetValue<NodeRole>($"{BeaconEngineOptions.Section}:{nameof(BeaconEngineOptions.Role)}") == NodeRole.Frontend;

        builder.Services.AddSingleton<GatewayMetrics>();

        // The exporter's scrape cache (300 ms by default) would answer an operator's second look with the first.
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(OrleansMeterName)
                .AddMeter(EngineTelemetry.MeterNames)
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.ConfigureOpenTelemetryMeterProvider((provider, pipeline) => pipeline.AddView(OwnMetersOnly(provider.GetRequiredService<IMeterFactory>())));

        if (endpoint is not null)
        {
            // Spans are only made when someone takes them; so is the propagation through grain calls.
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource(OrleansActivitySources)
                .AddSource(EngineTelemetry.ActivitySourceName));
            otel.UseOtlpExporter(ParseProtocol(protocol), new Uri(endpoint));
            if (frontend)
            {
                builder.UseOrleansClient(client => client.AddActivityPropagation());
            }
            else
            {
                builder.UseOrleans(silo => silo.AddActivityPropagation());
            }
        }

        // A silo is ready while it is an active member; a front-end while its client reaches the cluster.
        var health = frontend
            ? builder.Services.AddHealthChecks().AddCheck<ClusterClientHealthCheck>("cluster", tags: [ReadyTag])
            : builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag]);
        var cluster = configuration.GetSection(BeaconClusterOptions.Section).Get<BeaconClusterOptions>() ?? new BeaconClusterOptions();
        if (cluster.Mode == ClusterMode.Postgres)
        {
            health.AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
        }
        else if (cluster.Mode == ClusterMode.Redis && !string.IsNullOrWhiteSpace(cluster.Redis))
        {
            var redis = cluster.Redis;
            builder.Services.AddSingleton(_ => new RedisHealthCheck(redis));
            health.AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
        }
        else
        {
            health.AddCheck<SqliteStorageHealthCheck>("storage", tags: [ReadyTag]);
        }

        if (!string.IsNullOrWhiteSpace(configuration[$"{Mqtt.MqttIngestionOptions.Section}:{nameof(Mqtt.MqttIngestionOptions.ConnectionString)}"]))
        {
            health.AddCheck<MqttBrokerHealthCheck>("mqtt", HealthStatus.Degraded, tags: [ReadyTag]);
        }

        return builder;
    }

    public static WebApplication MapBeaconEngineObservability(this WebApplication app)
    {
        // Instruments over the gateway board exist from the start, not from the first scrape.
        app.Services.GetRequiredService<GatewayMetrics>();

        // As before: the operator's key is needed (per-gateway figures name stores and gateways).
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Roles.Operator).WithMetadata(GetOnly)
            .WithTags("Operator").WithSummary("Prometheus text metrics of this node (OpenTelemetry)");

        // /health is the liveness answer clients already use: 200 { "status": "ok" } while the process serves.
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteLegacyAsync })
            .AllowAnonymous().WithMetadata(GetOnly);
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteReportAsync })
            .AllowAnonymous().WithMetadata(GetOnly);
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync })
            .AllowAnonymous().WithMetadata(GetOnly);
        return app;
    }

    /// <summary>
    /// A metrics pipeline subscribes to meters by name, so it would also collect the same-named meters of
    /// another host in the process (the tests run several); meters made by another host's factory are
    /// dropped. With one host per process, as in production, nothing is.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OwnMetersOnly(IMeterFactory own) =>
        instrument => instrument.Meter.Scope is IMeterFactory owner && !ReferenceEquals(owner, own) ? MetricStreamConfiguration.Drop : null;

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static OtlpExportProtocol ParseProtocol(string? protocol) => protocol?.ToLowerInvariant() switch
    {
        null or "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new InvalidOperationException($"OTLP protocol '{protocol}' is not supported: use 'grpc' or 'http/protobuf'."),
    };

    private static Task WriteLegacyAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new { status = report.Status == HealthStatus.Healthy ? "ok" : Spell(report.Status) });

    private static Task WriteReportAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = Spell(report.Status),
            totalMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = Spell(e.Value.Status), description = e.Value.Description, ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1) }),
        }, JsonSerializerOptions.Web);

    private static string Spell(HealthStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}
