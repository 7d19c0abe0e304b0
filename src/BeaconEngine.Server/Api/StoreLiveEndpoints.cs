using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>The store's floor plan for brands placing offers, and the live store for its operator.</summary>
public static class StoreLiveEndpoints
{
    private static readonly TimeSpan MinutesShown = TimeSpan.FromMinutes(30);

    public static IEndpointRouteBuilder MapStoreLiveEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId}/zones", FloorPlan)
            .RequireAuthorization(p => p.RequireRole(Roles.Brand, Roles.Operator)).WithTags("Brand")
            .WithSummary("The store's zones").WithDescription("The store's name, time zone and zones, for placing offers.")
            .Produces<FloorPlanResponse>();
        app.MapGet("/api/v1/stores/{storeId}/live", Live).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("The store live").WithDescription("Shoppers per zone (counts only), each gateway's status and last batch or heartbeat, and coupons per minute over the last 30 minutes.")
            .Produces<StoreLiveResponse>();
        return app;
    }

    private static async Task<IResult> FloorPlan(string storeId, IGrainFactory grains)
    {
        var id = Validate.RouteId(storeId, "store");
        var snapshot = await grains.GetGrain<IStoreGrain>(id).GetSnapshot() ?? throw Problems.NotFound($"There is no store '{id}'.");
        return TypedResults.Ok(new FloorPlanResponse(
            id,
            snapshot.Layout.Name,
            snapshot.Layout.TimeZone,
            [.. snapshot.Layout.Zones.Select(z => new ZoneResponse(z.Id, z.Name, z.Kind, z.Category, z.Neighbors, FloorGeometry.ToDto(z.Shape)))]));
    }

    private static async Task<IResult> Live(string storeId, IGrainFactory grains, TimeProvider time)
    {
        var id = Validate.RouteId(storeId, "store");
        var snapshot = await grains.GetGrain<IStoreGrain>(id).GetSnapshot() ?? throw Problems.NotFound($"There is no store '{id}'.");
        var now = time.GetUtcNow();
        var activity = await grains.GetGrain<IStoreActivityGrain>(id).Get(now);

        // The gateways' own health (HTTP, vendor routes, MQTT and heartbeats alike), as GET .../gateways reports it.
        var gateways = await Task.WhenAll(snapshot.Gateways.Select(async g =>
        {
            var health = await grains.GetGrain<IGatewayGrain>(GatewayKey.Of(id, g.GatewayId)).GetHealth();
            return new GatewayLive(g.GatewayId, g.ZoneId, health.LastSeenAt, GatewayEndpoints.StatusOf(health, now), health.SightingsPerSecond);
        }));

        var thisMinute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var minutes = new List<MinuteCount>();
        for (var m = thisMinute - MinutesShown + TimeSpan.FromMinutes(1); m <= thisMinute; m += TimeSpan.FromMinutes(1))
        {
            minutes.Add(new MinuteCount(m, activity.CouponsPerMinute.GetValueOrDefault(m)));
        }

        return TypedResults.Ok(new StoreLiveResponse(
            id,
            now,
            [.. snapshot.Layout.Zones.Select(z => new ZoneLive(z.Id, z.Name, activity.ShoppersPerZone.GetValueOrDefault(z.Id)))],
            gateways,
            minutes));
    }
}
