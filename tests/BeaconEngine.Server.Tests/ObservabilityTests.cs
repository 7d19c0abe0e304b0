using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// What an operator meets: metrics scraped from the OpenTelemetry Prometheus exporter, OTLP exports a
/// collector receives (one trace per batch, from the request through the grains to the push), liveness and
/// readiness, and diagnostics that a default start does not serve.
/// </summary>
[Collection(SharedEngineB.Name)]
public sealed class ObservabilityTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task Metrics_come_from_the_OpenTelemetry_exporter_with_request_durations_and_the_engines_meters()
    {
        using var store = await Scenario.CreateAsync(Host);
        var alice = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(alice));

        var response = await store.Admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        var metrics = new PrometheusText(await response.Content.ReadAsStringAsync());

        Assert.Equal(1, metrics.Value("target_info", "telemetry_sdk_name", "opentelemetry", "service_name", "beaconengine"));
        Assert.True(metrics.HasFamily("http_server_request_duration_seconds", "histogram"), metrics.Text);

        // Other tests' servers in this process have meters of the same names: each node shows only its own,
        // so every series below is there once.
        Assert.True(metrics.Value("http_server_request_duration_seconds_count", "http_route", "/api/v1/sightings", "http_request_method", "POST",
            "http_response_status_code", "202") >= 1);
        Assert.True(metrics.Value("orleans_watchdog_health_checks_total") >= 0);
        Assert.True(metrics.HasFamily("beaconengine_ingestion_batches_total", "counter"), metrics.Text);
        Assert.True(metrics.Value("beaconengine_ingestion_sightings_total", "outcome", "accepted") >= 3);
        Assert.Equal(3, metrics.Value("beaconengine_gateway_sightings_total", "store", store.StoreId, "gateway", "gw-dairy"));
        Assert.True(metrics.Value("beaconengine_gateway_last_seen_seconds", "store", store.StoreId, "gateway", "gw-dairy") >= 0);
        Assert.True(metrics.Values("orleans_catalog_activations").Count > 0, "Orleans' own meter is exported too");

        // As before: the node's metrics are the operator's.
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/metrics")).StatusCode);
        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Readiness_fails_while_the_storage_cannot_be_written_and_recovers_when_it_can()
    {
        // The shared server: the classes of its collection run one at a time, so none of them meets the lock.
        var host = Host;
        using var client = host.CreateClient();
        var ready = await Scenario.Expect(await client.GetAsync("/health/ready"), HttpStatusCode.OK);
        Assert.Equal("healthy", ready["status"]!.GetValue<string>());
        Assert.Equal("healthy", ready["checks"]!["silo"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", ready["checks"]!["storage"]!["status"]!.GetValue<string>());

        // Another process takes the file's write lock and keeps it: this node cannot store anything.
        await using (var other = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "beaconengine.db")};Pooling=False"))
        {
            await other.OpenAsync();
            await using (var take = other.CreateCommand())
            {
                take.CommandText = "BEGIN EXCLUSIVE;";
                await take.ExecuteNonQueryAsync();
            }

            var notReady = await Scenario.Expect(await client.GetAsync("/health/ready"), HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", notReady["status"]!.GetValue<string>());
            Assert.Equal("unhealthy", notReady["checks"]!["storage"]!["status"]!.GetValue<string>());
            Assert.Contains("locked", notReady["checks"]!["storage"]!["description"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal("healthy", notReady["checks"]!["silo"]!["status"]!.GetValue<string>());

            // Liveness is not readiness: the process is fine, a restart would not help.
            var live = await Scenario.Expect(await client.GetAsync("/health"), HttpStatusCode.OK);
            Assert.Equal("ok", live["status"]!.GetValue<string>());
            await Scenario.Expect(await client.GetAsync("/health/live"), HttpStatusCode.OK);

            await using var release = other.CreateCommand();
            release.CommandText = "COMMIT;";
            await release.ExecuteNonQueryAsync();
        }

        var recovered = await Scenario.Expect(await client.GetAsync("/health/ready"), HttpStatusCode.OK);
        Assert.Equal("healthy", recovered["checks"]!["storage"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_default_start_serves_no_diagnostics_or_benchmark_routes()
    {
        using var store = await Scenario.CreateAsync(Host);
        var alice = await store.EnrolAsync();
        using var gateway = Host.CreateClient(store.GatewayKeys["gw-dairy"]);
        await Scenario.ExpectProblem(
            await gateway.PostAsJsonAsync("/api/v1/baseline/sightings", new { gatewayId = "gw-dairy", sightings = Scenario.Approach(alice) }), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.GetAsync("/api/v1/diagnostics"), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.PostAsync("/api/v1/diagnostics/collect", null), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.GetAsync("/api/v1/diagnostics/coupon-latency"), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.DeleteAsync("/api/v1/diagnostics/coupon-latency"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_collector_receives_one_trace_from_the_batch_request_through_the_grains_to_the_push_and_the_metrics()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var host = await EngineHost.StartAsync(null,
            "--BeaconEngine:Telemetry:OtlpEndpoint", collector.Endpoint.ToString(),
            "--BeaconEngine:Telemetry:OtlpProtocol", "http/protobuf");
        var traceId = ActivityTraceId.CreateRandom();
        var gatewaySpan = ActivitySpanId.CreateRandom();
        var callerSpan = default(ActivitySpanId);
        try
        {
            using var store = await Scenario.CreateAsync(host);
            await store.CreateOfferAsync("dairy");
            var alice = await store.EnrolAsync();
            await using var phone = await ShopperApp.ConnectAsync(host.BaseAddress, alice.Token, HubProtocol.MessagePack);

            // The gateway's request carries a W3C trace context, as an instrumented gateway's would.
            using var gateway = host.CreateClient(store.GatewayKeys["gw-dairy"]);
            using (var caller = new Activity("gateway uplink"))
            {
                caller.SetParentId(traceId, gatewaySpan, ActivityTraceFlags.Recorded);
                caller.Start();
                callerSpan = caller.SpanId;
                await Scenario.Expect(
                    await gateway.PostAsJsonAsync("/api/v1/sightings", new { gatewayId = "gw-dairy", sightings = Scenario.Approach(alice) }),
                    HttpStatusCode.Accepted);
            }

            await phone.NextCouponAsync();
        }
        finally
        {
            // Stopping flushes every pending export, so what follows waits on nothing.
            await host.DisposeAsync();
        }

        var trace = collector.Spans().Where(s => s.TraceId == traceId.ToHexString()).ToList();
        var summary = string.Join("\n", trace.Select(s => $"{s.Scope}: {s.Name} {s.SpanId} <- {s.ParentSpanId}"));
        Assert.True(trace.Count > 0, $"no span of trace {traceId} among {collector.Spans().Count} received from {string.Join(", ", collector.Paths)}:\n"
            + string.Join("\n", collector.Spans().Take(40).Select(s => $"{s.TraceId} {s.Scope}: {s.Name} {s.SpanId} <- {s.ParentSpanId}")));
        Assert.Contains(trace, s => s.Name == "ingest sightings batch");
        Assert.Contains(trace, s => s.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Name.Contains("RecordSightings", StringComparison.Ordinal));
        var push = Assert.Single(trace, s => s.Name == "push coupon");

        // The push descends from the caller through unbroken parent links: the request, the batch, the grain calls.
        var byId = trace.ToDictionary(s => s.SpanId);
        var ancestors = new List<ReceivedSpan>();
        for (var span = push; span.ParentSpanId != callerSpan.ToHexString();)
        {
            Assert.True(byId.TryGetValue(span.ParentSpanId, out var parent), $"span {span.Name} has a parent outside the trace:\n{summary}");
            span = parent!;
            ancestors.Add(span);
        }

        Assert.Contains(ancestors, s => s.Name == "ingest sightings batch");
        Assert.Contains(ancestors, s => s.Scope == "Microsoft.AspNetCore" && s.Name.Contains("/api/v1/sightings", StringComparison.Ordinal));
        Assert.Contains(ancestors, s => s.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Name.Contains("RecordSightings", StringComparison.Ordinal));

        var metrics = collector.MetricNames();
        Assert.Contains("http.server.request.duration", metrics);
        Assert.Contains("beaconengine.ingestion.batches", metrics);
        Assert.Contains("beaconengine.coupon.engine_latency", metrics);
    }
}
