using System.Globalization;
using System.Security.Claims;
using System.Text;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Gateways;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>Gateways' heartbeats, and their health for operators: a JSON route per store and Prometheus metrics.</summary>
public static class GatewayEndpoints
{
    public const string MetricsPath = "/metrics";
    private static readonly TimeSpan OnlineWithin = TimeSpan.FromMinutes(1);

    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/heartbeats", PostHeartbeat).RequireAuthorization(Roles.Gateway).WithTags("Gateway")
            .WithSummary("A gateway agent's heartbeat: its clock, queue depth and dropped count")
            .Produces<HeartbeatResponse>(StatusCodes.Status202Accepted);
        app.MapGet("/api/v1/stores/{storeId}/gateways", GetGateways).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("Each gateway of a store: last seen, sightings per second, clock skew, queue depth, dropped count")
            .Produces<StoreGatewaysResponse>();
        app.MapGet(MetricsPath, GetMetrics).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("Prometheus text metrics of this node: ingestion counters and the health of the gateways it hosts");
        return app;
    }

    private static async Task<IResult> PostHeartbeat(HeartbeatRequest body, ClaimsPrincipal user, BatchIngestor batches, TimeProvider time)
    {
        var gatewayId = user.SubjectId();
        if (body.GatewayId is not null && body.GatewayId != gatewayId)
        {
            throw Problems.Forbidden($"This key belongs to gateway '{gatewayId}'; 'gatewayId' in the body must match it or be left out.");
        }

        var now = time.GetUtcNow();
        if (body.SentAt is not { } sentAt)
        {
            throw Problems.BadRequest("'sentAt' is required: the agent's clock when it sent the heartbeat (ISO-8601 or Unix ms).");
        }

        if (Negative(body.QueueDepth) || Negative(body.QueueBytes) || Negative(body.Dropped) || Negative(body.Heard)
            || body.UptimeSeconds is < 0 or double.NaN)
        {
            throw Problems.BadRequest("'queueDepth', 'queueBytes', 'dropped', 'heard' and 'uptimeSeconds' must be zero or more.");
        }

        var version = body.AgentVersion is null ? null : Validate.Text(body.AgentVersion, "agentVersion", 64);
        await batches.RecordHeartbeatAsync(user.StoreId(), gatewayId, new GatewayHeartbeat(
            sentAt, now, body.QueueDepth ?? 0, body.QueueBytes ?? 0, body.Dropped ?? 0, body.Heard ?? 0, body.UptimeSeconds ?? 0, version));
        return TypedResults.Json(new HeartbeatResponse(now, (now - sentAt).TotalMilliseconds), statusCode: StatusCodes.Status202Accepted);
    }

    private static bool Negative(long? value) => value is < 0;

    /// <summary>"online" when heard from within the last minute, else "silent", or "never".</summary>
    public static string StatusOf(GatewayHealth health, DateTimeOffset now) =>
        health.LastSeenAt is not { } seen ? "never" : now - seen <= OnlineWithin ? "online" : "silent";

    private static async Task<IResult> GetGateways(string storeId, IGrainFactory grains, TimeProvider time)
    {
        var id = Validate.RouteId(storeId, "store");
        var snapshot = await grains.GetGrain<IStoreGrain>(id).GetSnapshot()
            ?? throw Problems.NotFound($"There is no store '{id}'. Create it with PUT /api/v1/stores/{id}.");
        var now = time.GetUtcNow();
        var gateways = await Task.WhenAll(snapshot.Gateways.Select(async g =>
        {
            var h = await grains.GetGrain<IGatewayGrain>(GatewayKey.Of(id, g.GatewayId)).GetHealth();
            var status = StatusOf(h, now);
            return new GatewayHealthResponse(
                g.GatewayId, g.ZoneId, status, h.LastSeenAt, h.LastHeartbeatAt, h.SightingsPerSecond, h.Batches, h.Sightings, h.Accepted,
                h.Dropped, h.Rejected, h.DuplicateBatches, h.OutOfOrderBatches, h.NewestEventAt, h.ClockSkewMs, h.QueueDepth, h.QueueBytes,
                h.AgentDropped, h.AgentVersion);
        }));
        return TypedResults.Ok(new StoreGatewaysResponse(id, gateways));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult GetMetrics(IngestionMetrics metrics, IGatewayHealthBoard board, TimeProvider time)
    {
        var text = new StringBuilder();
        Counter(text, "beaconengine_ingestion_batches_total", "Gateway batches processed by this node", metrics.Batches);
        text.Append("# HELP beaconengine_ingestion_sightings_total Items of processed batches by outcome\n# TYPE beaconengine_ingestion_sightings_total counter\n");
        Sample(text, "beaconengine_ingestion_sightings_total{outcome=\"accepted\"}", metrics.Accepted);
        Sample(text, "beaconengine_ingestion_sightings_total{outcome=\"dropped\"}", metrics.Dropped);
        Sample(text, "beaconengine_ingestion_sightings_total{outcome=\"rejected\"}", metrics.Rejected);
        Counter(text, "beaconengine_ingestion_duplicate_batches_total", "Retried batches answered without being counted again", metrics.DuplicateBatches);
        Counter(text, "beaconengine_mqtt_messages_total", "MQTT messages received", metrics.MqttMessages);
        Counter(text, "beaconengine_mqtt_bad_messages_total", "MQTT messages that yielded nothing (unreadable, unknown gateway)", metrics.MqttBadMessages);
        Gauge(text, "beaconengine_mqtt_connected", "1 while subscribed to the MQTT broker", metrics.MqttConnected ? 1 : 0);

        var now = time.GetUtcNow();
        var gateways = board.Snapshot();
        Family(text, "beaconengine_gateway_last_seen_seconds", "gauge", "Seconds since the gateway was last heard from", gateways,
            h => h.LastSeenAt is { } seen ? (now - seen).TotalSeconds : null);
        Family(text, "beaconengine_gateway_sightings_per_second", "gauge", "Valid sightings per second over the last 10 s", gateways, h => h.SightingsPerSecond);
        Family(text, "beaconengine_gateway_sightings_total", "counter", "Valid sightings received, duplicates not counted", gateways, h => h.Sightings);
        Family(text, "beaconengine_gateway_duplicate_batches_total", "counter", "Retried batches not counted again", gateways, h => h.DuplicateBatches);
        Family(text, "beaconengine_gateway_out_of_order_batches_total", "counter", "Batches older than what the gateway sent before", gateways, h => h.OutOfOrderBatches);
        Family(text, "beaconengine_gateway_clock_skew_milliseconds", "gauge", "Server clock minus agent clock at the last heartbeat", gateways, h => h.ClockSkewMs);
        Family(text, "beaconengine_gateway_queue_depth", "gauge", "Batches waiting in the agent's queue", gateways, h => h.QueueDepth);
        Family(text, "beaconengine_gateway_agent_dropped_total", "counter", "Sightings the agent dropped from a full queue", gateways, h => h.AgentDropped);
        return TypedResults.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n");
        Sample(text, name, value);
    }

    private static void Gauge(StringBuilder text, string name, string help, double value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n");
        Sample(text, name, value);
    }

    private static void Family(
        StringBuilder text, string name, string type, string help,
        IReadOnlyCollection<(string StoreId, string GatewayId, GatewayHealth Health)> gateways, Func<GatewayHealth, double?> value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var (storeId, gatewayId, health) in gateways)
        {
            if (value(health) is { } v)
            {
                // Ids are letters, digits and . _ : - only, so they need no escaping in a label.
                Sample(text, $"{name}{{store=\"{storeId}\",gateway=\"{gatewayId}\"}}", v);
            }
        }
    }

    private static void Sample(StringBuilder text, string series, double value) =>
        text.Append(series).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
