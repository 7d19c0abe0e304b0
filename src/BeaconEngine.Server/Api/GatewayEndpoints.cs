using System.Security.Claims;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Gateways;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>Gateways' heartbeats, and their health for operators as a JSON route per store (their metrics: <see cref="Observability.GatewayMetrics"/>).</summary>
public static class GatewayEndpoints
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromDays(30);

    private static readonly TimeSpan OnlineWithin = TimeSpan.FromMinutes(1);

    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/heartbeats", PostHeartbeat).RequireAuthorization(Roles.Gateway).WithTags("Gateway")
            .WithSummary("A gateway agent's heartbeat: its clock, queue depth and dropped count")
            .Produces<HeartbeatResponse>(StatusCodes.Status202Accepted);
        app.MapGet("/api/v1/stores/{storeId}/gateways", GetGateways).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("Each gateway of a store: last seen, sightings per second, clock skew, queue depth, dropped count")
            .Produces<StoreGatewaysResponse>();
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

        // A clock a month off is a broken clock or a unit mistake, not a skew worth charting.
        if ((now - sentAt).Duration() > MaxClockSkew)
        {
            throw Problems.BadRequest($"'sentAt' ({UtcTimeConverter.Format(sentAt)}) is more than {MaxClockSkew.TotalDays:F0} days from the server's clock ({UtcTimeConverter.Format(now)}). Send the agent's clock in UTC; set the gateway's clock (NTP) if it is wrong.");
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
                h.AgentDropped, h.AgentVersion, h.Replays, h.SharedIdentities);
        }));
        return TypedResults.Ok(new StoreGatewaysResponse(id, gateways));
    }
}
