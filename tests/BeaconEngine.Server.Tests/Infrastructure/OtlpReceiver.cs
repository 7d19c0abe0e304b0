using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static BeaconEngine.Server.Tests.Infrastructure.ProtobufReader;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>A span as an OTLP exporter sent it (ids in lower-case hex; the parent is empty for a root).</summary>
public sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, string Scope);

/// <summary>
/// A local OTLP/HTTP receiver on real Kestrel: it accepts protobuf exports at <c>/v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> as a collector does, and reads the spans and metric names out of them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpContext context) =>
        {
            if (context.Request.ContentType != "application/x-protobuf")
            {
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            }

            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver._exports.Enqueue(($"/v1/{signal}", body.ToArray()));

            // An empty Export*ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        receiver.Endpoint = new Uri(app.Urls.First());
        return receiver;
    }

    public IReadOnlyList<string> Paths => [.. _exports.Select(e => e.Path).Distinct()];

    /// <summary>Every span received: ExportTraceServiceRequest → resource_spans(1) → scope_spans(2) → spans(2).</summary>
    public IReadOnlyList<ReceivedSpan> Spans() =>
        [.. from export in _exports
            where export.Path == "/v1/traces"
            from resourceSpans in Messages(export.Body, 1)
            from scopeSpans in Messages(resourceSpans, 2)
            let scope = Messages(scopeSpans, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? ""
            from span in Messages(scopeSpans, 2)
            select new ReceivedSpan(Hex(span, 1), Hex(span, 2), Hex(span, 4), Text(span, 5), scope)];

    /// <summary>The names of every metric received: ExportMetricsServiceRequest → resource_metrics(1) → scope_metrics(2) → metrics(2) → name(1).</summary>
    public IReadOnlySet<string> MetricNames() =>
        (from export in _exports
         where export.Path == "/v1/metrics"
         from resourceMetrics in Messages(export.Body, 1)
         from scopeMetrics in Messages(resourceMetrics, 2)
         from metric in Messages(scopeMetrics, 2)
         select Text(metric, 1)).ToHashSet(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
