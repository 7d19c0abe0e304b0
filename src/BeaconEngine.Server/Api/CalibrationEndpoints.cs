using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Proximity.Calibration;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>
/// Store calibration, as an installer does it: start a walk and get the identity the device transmits,
/// mark the zone the device is in as it moves, fit, and read what the fit learned. Operator key only.
/// </summary>
public static class CalibrationEndpoints
{
    private static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxBacklog = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapCalibrationEndpoints(this IEndpointRouteBuilder app)
    {
        var store = app.MapGroup("/api/v1/stores/{storeId}").RequireAuthorization(Roles.Operator).WithTags("Calibration");
        store.MapPost("/calibrations", Start)
            .WithSummary("Start a calibration walk: the advertisement the installer's phone or tag transmits while walking the store")
            .Produces<CalibrationStartedResponse>(StatusCodes.Status201Created);
        store.MapGet("/calibrations/{calibrationId}", GetWalk)
            .WithSummary("A calibration walk: its marks, how many sightings it heard, labelled sightings per zone, its last fit")
            .Produces<CalibrationWalkResponse>();
        store.MapDelete("/calibrations/{calibrationId}", EndWalk)
            .WithSummary("End a calibration walk: its device's sightings are no longer taken (the store's calibration stays)")
            .Produces(StatusCodes.Status204NoContent);
        store.MapPost("/calibrations/{calibrationId}/marks", Mark)
            .WithSummary("\"I am here now\": marks the zone the walk's device is in")
            .WithDescription("The device is in zoneId from at (default now) until the next mark; zoneId null ends a labelled stretch.")
            .Produces<CalibrationMarkResponse>();
        store.MapPost("/calibrations/{calibrationId}/fit", Fit)
            .WithSummary("Fit the store's calibration from the walk's labelled sightings; from then on the store's shoppers are placed with it")
            .Produces<CalibrationReportResponse>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        store.MapGet("/calibration", GetActive)
            .WithSummary("The store's active calibration and its report (404 while the store uses the uncalibrated model)")
            .Produces<ActiveCalibrationResponse>();
        store.MapDelete("/calibration", RemoveActive)
            .WithSummary("Back to the uncalibrated model")
            .Produces(StatusCodes.Status204NoContent);
        return app;
    }

    private static async Task<IResult> Start(string storeId, IGrainFactory grains, TimeProvider time)
    {
        var id = Validate.RouteId(storeId, "store");
        var opening = await grains.GetGrain<IStoreGrain>(id).OpenCalibration();
        switch (opening.Refusal)
        {
            case CalibrationRefusal.None:
                break;
            case CalibrationRefusal.StoreNotFound:
                throw Problems.NotFound($"There is no store '{id}'. Create it with PUT /api/v1/stores/{id} first.");
            default:
                throw Problems.Conflict(opening.Reason!);
        }

        var createdAt = time.GetUtcNow();
        var calibrationId = opening.CalibrationId!;
        await grains.GetGrain<ICalibrationGrain>(CalibrationRules.Key(id, calibrationId)).Start(opening.Advertisement!, createdAt);
        return TypedResults.Created(
            $"/api/v1/stores/{id}/calibrations/{calibrationId}",
            new CalibrationStartedResponse(calibrationId, ShopperEndpoints.ToResponse(opening.Advertisement!), createdAt));
    }

    private static async Task<IResult> GetWalk(string storeId, string calibrationId, IGrainFactory grains)
    {
        var (store, walk) = Walk(storeId, calibrationId, grains);
        var status = await walk.GetStatus() ?? throw NoWalk(store, calibrationId);
        var snapshot = await grains.GetGrain<IStoreGrain>(store).GetSnapshot();
        return TypedResults.Ok(new CalibrationWalkResponse(
            store,
            status.CalibrationId,
            status.Open ? "open" : "ended",
            snapshot?.Calibration?.CalibrationId == status.CalibrationId,
            ShopperEndpoints.ToResponse(status.Advertisement),
            status.CreatedAt,
            [.. status.Marks.Select(m => new CalibrationMarkDto(m.ZoneId, m.At))],
            status.Sightings,
            status.LabelledPerZone,
            status.LastReport is { } report ? ToResponse(status.CalibrationId, status.FittedAt!.Value, report) : null));
    }

    private static async Task<IResult> EndWalk(string storeId, string calibrationId, IGrainFactory grains)
    {
        var (_, walk) = Walk(storeId, calibrationId, grains);
        Check(await walk.End());
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Mark(string storeId, string calibrationId, CalibrationMarkRequest body, IGrainFactory grains, TimeProvider time)
    {
        var (_, walk) = Walk(storeId, calibrationId, grains);
        var zoneId = body.ZoneId is null ? null : Validate.Id(body.ZoneId, "zoneId");
        var now = time.GetUtcNow();
        var at = body.At ?? now;
        if (at > now + MaxClockAhead || at < now - MaxBacklog)
        {
            throw Problems.BadRequest($"'at' ({UtcTimeConverter.Format(at)}) must lie within the last 7 days and at most 5 minutes ahead of the server's clock ({UtcTimeConverter.Format(now)}).");
        }

        Check(await walk.Mark(new CalibrationMark(zoneId, at)));
        var status = await walk.GetStatus();
        return TypedResults.Ok(new CalibrationMarkResponse(calibrationId, zoneId, at, status?.Marks.Length ?? 0));
    }

    private static async Task<IResult> Fit(string storeId, string calibrationId, IGrainFactory grains)
    {
        var (_, walk) = Walk(storeId, calibrationId, grains);
        var result = await walk.Fit();
        if (result.Refusal == CalibrationRefusal.NothingLabelled)
        {
            throw Problems.Unprocessable(result.Reason!);
        }

        Check(new CalibrationChange(result.Refusal, result.Reason));
        var active = result.Calibration!;
        return TypedResults.Ok(ToResponse(active.CalibrationId, active.FittedAt, active.Report));
    }

    private static async Task<IResult> GetActive(string storeId, IGrainFactory grains)
    {
        var id = Validate.RouteId(storeId, "store");
        var snapshot = await grains.GetGrain<IStoreGrain>(id).GetSnapshot()
            ?? throw Problems.NotFound($"There is no store '{id}'. Create it with PUT /api/v1/stores/{id}.");
        var active = snapshot.Calibration
            ?? throw Problems.NotFound($"Store '{id}' has no calibration: its shoppers are placed with the uncalibrated model. Calibrate it with POST /api/v1/stores/{id}/calibrations.");
        return TypedResults.Ok(ToResponse(id, active));
    }

    /// <summary>The active calibration as GET .../calibration and the store's GET show it.</summary>
    public static ActiveCalibrationResponse ToResponse(string storeId, ActiveCalibration active) => new(
        storeId,
        active.CalibrationId,
        active.FittedAt,
        [.. active.Model.Zones.Select(z => z.ZoneId).Order(StringComparer.Ordinal)],
        ToResponse(active.CalibrationId, active.FittedAt, active.Report));

    private static async Task<IResult> RemoveActive(string storeId, IGrainFactory grains)
    {
        var id = Validate.RouteId(storeId, "store");
        var store = grains.GetGrain<IStoreGrain>(id);
        if (await store.GetSnapshot() is null)
        {
            throw Problems.NotFound($"There is no store '{id}'.");
        }

        await store.RemoveCalibration();
        return TypedResults.NoContent();
    }

    private static (string StoreId, ICalibrationGrain Walk) Walk(string storeId, string calibrationId, IGrainFactory grains)
    {
        var store = Validate.RouteId(storeId, "store");
        var walk = Validate.RouteId(calibrationId, "calibration");
        return (store, grains.GetGrain<ICalibrationGrain>(CalibrationRules.Key(store, walk)));
    }

    private static ApiProblemException NoWalk(string storeId, string calibrationId) =>
        Problems.NotFound($"Store '{storeId}' has no calibration '{calibrationId}' (a calibration belongs to the store it was started in). Start one with POST /api/v1/stores/{storeId}/calibrations.");

    /// <summary>A refused change as the problem that says why.</summary>
    private static void Check(CalibrationChange change)
    {
        switch (change.Refusal)
        {
            case CalibrationRefusal.None:
                return;
            case CalibrationRefusal.StoreNotFound or CalibrationRefusal.WalkNotFound:
                throw Problems.NotFound(change.Reason!);
            case CalibrationRefusal.UnknownZone:
                throw Problems.BadRequest(change.Reason!);
            case CalibrationRefusal.NothingLabelled:
                throw Problems.Unprocessable(change.Reason!);
            default:
                throw Problems.Conflict(change.Reason!);
        }
    }

    private static CalibrationReportResponse ToResponse(string calibrationId, DateTimeOffset fittedAt, CalibrationReportData r) => new(
        calibrationId, fittedAt, r.SamplesPerZone, r.ZonesNotCovered, r.GatewayCorrections, r.AccuracyBefore, r.AccuracyAfter, r.Moments,
        r.SecondsPerZone, CalibrationReport.WalkedBriefly(r.SecondsPerZone));
}
