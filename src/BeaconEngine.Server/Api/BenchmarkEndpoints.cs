using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using BeaconEngine.Server.Observability;
using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Server.Hosting;
using BeaconEngine.Server.Hubs;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Api;

/// <summary>
/// What the simulator measures the engine against and with. None of it is mapped unless
/// <c>BeaconEngine:Diagnostics</c> is true (also: the <c>--diagnostics</c> switch); a default start answers 404.
/// <list type="bullet">
/// <item><c>POST /api/v1/baseline/sightings</c>, only when the server also runs with <c>--baseline</c>: the
/// floor of the end-to-end path. It reads a gateway batch as the engine's route does (same key check, same
/// JSON, the same node-local identity cache) and pushes a coupon-shaped message straight to each shopper
/// heard, with no grain, no zone resolution, no rules and no storage.</item>
/// <item><c>GET /api/v1/diagnostics</c> (operator): managed heap after a blocking, compacting full collection
/// and live grain activations by type, to measure memory per live shopper; <c>POST /api/v1/diagnostics/collect</c>
/// deactivates idle grains first (Orleans' activation collection, forced).</item>
/// <item><c>GET|DELETE /api/v1/diagnostics/coupon-latency</c> (operator): fine percentiles of the engine's share
/// of coupon latency (<see cref="CouponLatencyRecorder"/>).</item>
/// </list>
/// </summary>
public static class BenchmarkEndpoints
{
    public const string BaselineSwitch = "--baseline";
    public const string DiagnosticsSwitch = "--diagnostics";
    public const string BaselineCouponPrefix = "baseline-";

    /// <summary>The services the routes need, registered only when diagnostics are on.</summary>
    public static IServiceCollection AddBenchmarkEndpoints(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>($"{BeaconEngineOptions.Section}:{nameof(BeaconEngineOptions.Diagnostics)}"))
        {
            services.AddSingleton<CouponLatencyRecorder>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapBenchmarkEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<BeaconEngineOptions>>().Value;
        if (!options.Diagnostics)
        {
            return app;
        }

        // Created now, so latency is recorded from the start and not from the first read.
        app.ServiceProvider.GetRequiredService<CouponLatencyRecorder>();
        app.MapGet("/api/v1/diagnostics", Diagnostics).RequireAuthorization(Roles.Operator).WithTags("Diagnostics")
            .WithSummary("Managed memory after a full garbage collection, and live grain activations by type (only with BeaconEngine:Diagnostics)");
        app.MapPost("/api/v1/diagnostics/collect", Collect).RequireAuthorization(Roles.Operator).WithTags("Diagnostics")
            .WithSummary("Deactivates every grain idle for at least ?idleSeconds= (default 60), then answers as GET /api/v1/diagnostics");
        app.MapGet("/api/v1/diagnostics/coupon-latency", (CouponLatencyRecorder latency) => TypedResults.Ok(latency.Summary()))
            .RequireAuthorization(Roles.Operator).WithTags("Diagnostics")
            .WithSummary("The engine's share of coupon latency since the last reset: gateway batch arrival to push, ms (0.1 ms steps)");
        app.MapDelete("/api/v1/diagnostics/coupon-latency", (CouponLatencyRecorder latency) =>
            {
                latency.Reset();
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Roles.Operator).WithTags("Diagnostics")
            .WithSummary("Starts the coupon latency figures afresh");
        if (options.Baseline)
        {
            app.MapPost("/api/v1/baseline/sightings", PostBaseline).RequireAuthorization(Roles.Gateway).WithTags("Diagnostics")
                .WithSummary("Only with --baseline: pushes a coupon-shaped message to every shopper heard in the batch, with no engine in between")
                .Accepts<JsonElement>("application/json");
        }

        return app;
    }

    private static async Task<IResult> PostBaseline(
        HttpContext context, ClaimsPrincipal user, IdentityResolver identities, IHubContext<ShopperHub> hub)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw Problems.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }

        using var owned = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw Problems.BadRequest("The body must be a JSON object: { \"sightings\": [ ... ] }.");
        }

        if (!document.RootElement.TryGetProperty("sightings", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw Problems.BadRequest("'sightings' is required and must be an array.");
        }

        var shoppers = new HashSet<string>(StringComparer.Ordinal);
        var accepted = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("ibeacon", out var ibeacon) && ibeacon.ValueKind == JsonValueKind.Object
                && ibeacon.TryGetProperty("uuid", out var uuid) && uuid.ValueKind == JsonValueKind.String && Guid.TryParse(uuid.GetString(), out var guid)
                && ibeacon.TryGetProperty("major", out var major) && major.ValueKind == JsonValueKind.Number && major.TryGetUInt16(out var majorValue)
                && ibeacon.TryGetProperty("minor", out var minor) && minor.ValueKind == JsonValueKind.Number && minor.TryGetUInt16(out var minorValue)
                && await identities.ResolveAsync(new BeaconIdentity(guid, majorValue, minorValue)) is { } shopperId)
            {
                accepted++;
                shoppers.Add(shopperId);
            }
        }

        var now = UtcTimeConverter.Format(DateTimeOffset.UtcNow);
        var gatewayId = user.SubjectId();
        await Task.WhenAll(shoppers.Select(shopperId => hub.Clients.User(shopperId).SendAsync(ShopperHub.CouponMethod, new CouponMessage
        {
            CouponId = BaselineCouponPrefix + Guid.NewGuid().ToString("N"),
            OfferId = "baseline",
            BrandId = "baseline",
            Title = "Baseline push",
            Discount = new DiscountMessage { Kind = "percent", Value = 10 },
            ZoneId = gatewayId,
            Code = "BASELINE",
            IssuedAt = now,
            ExpiresAt = now,
        }, context.RequestAborted)));
        return TypedResults.Json(new { accepted, pushed = shoppers.Count }, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> Collect(IGrainFactory grains, double? idleSeconds)
    {
        var idle = idleSeconds ?? 60;
        if (!double.IsFinite(idle) || idle < 1 || idle > 86_400)
        {
            throw Problems.BadRequest("'idleSeconds' must be a number of seconds from 1 to 86400.");
        }

        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromSeconds(idle));
        return await Diagnostics(grains);
    }

    private static async Task<IResult> Diagnostics(IGrainFactory grains)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        using var process = Process.GetCurrentProcess();
        return TypedResults.Ok(new
        {
            managedHeapBytes = heap,
            workingSetBytes = process.WorkingSet64,
            activations = statistics
                .GroupBy(s => s.GrainType, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount), StringComparer.Ordinal),
        });
    }
}
