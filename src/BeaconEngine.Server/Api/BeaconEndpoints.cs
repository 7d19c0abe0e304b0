using System.Security.Claims;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>
/// The other direction: fixed beacons the operator installs (phones hear them), and the reports of the beacons a
/// shopper's phone ranged, over HTTP (the hub's <c>ReportSightings</c> takes the same body).
/// </summary>
public static class BeaconEndpoints
{
    public static IEndpointRouteBuilder MapBeaconEndpoints(this IEndpointRouteBuilder app)
    {
        var beacons = app.MapGroup("/api/v1/stores/{storeId}/beacons").RequireAuthorization(Roles.Operator).WithTags("Operator");
        beacons.MapPost("/", Register).WithSummary("Register a store beacon that shoppers' phones hear")
            .WithDescription("The store's beacons share one proximity UUID, so one iOS region covers the store. An identity in use by a shopper or another beacon is a 409.")
            .Produces<BeaconResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        beacons.MapGet("/", List).WithSummary("The store's beacons and their region UUID").Produces<BeaconListResponse>();
        beacons.MapGet("/{beaconId}", Get).WithSummary("One store beacon").Produces<BeaconResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        beacons.MapDelete("/{beaconId}", Delete).WithSummary("Remove a store beacon and free its identity")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/v1/me/beacon-region", GetRegion).RequireAuthorization(Roles.Shopper).WithTags("Shopper")
            .WithSummary("The beacon region the app monitors for the shopper's store")
            .WithDescription("The UUID the store's beacons share, for iOS region monitoring or an Android scan filter. 404 while the store has no beacons.")
            .Produces<BeaconRegionResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/api/v1/me/sightings", Report).RequireAuthorization(Roles.Shopper).WithTags("Shopper")
            .WithSummary("Report the store beacons the phone ranged")
            .WithDescription("Each item is judged on its own, as a gateway's are: broken items are listed in 'rejected', readings of beacons that are not "
                + "the shopper's store's are 'dropped', the rest place the shopper. A report nothing of which could be used is a 400 saying why. "
                + "'region': { event: enter|exit, ts } from region monitoring; an exit takes the shopper out of the store at once. "
                + "At most about one report a second per shopper (429 past it). The hub's ReportSightings takes the same body.")
            .Accepts<PhoneSightingsRequest>("application/json")
            .Produces<SightingsResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> Register(string storeId, BeaconRequest body, IGrainFactory grains)
    {
        var beaconId = Validate.Id(body.BeaconId, "beaconId");
        var zoneId = Validate.Id(body.ZoneId, "zoneId");
        var identity = body.IBeacon ?? throw Problems.BadRequest("'ibeacon' is required: { \"uuid\", \"major\", \"minor\" }, as the beacon is programmed.");
        if (identity.Uuid is null || !Guid.TryParse(identity.Uuid, out var uuid) || uuid == Guid.Empty)
        {
            throw Problems.BadRequest("'ibeacon.uuid' must be a proximity UUID such as \"f7826da6-4fa2-4e98-8024-bc5b71e0893e\".");
        }

        if (identity.Major is not (>= 0 and <= ushort.MaxValue) || identity.Minor is not (>= 0 and <= ushort.MaxValue))
        {
            throw Problems.BadRequest("'ibeacon.major' and 'ibeacon.minor' are required: whole numbers from 0 to 65535.");
        }

        if (body.TxPower is { } tx && (!double.IsFinite(tx) || tx is < -127 or > 20))
        {
            throw Problems.BadRequest("'txPower' must be the beacon's measured power at 1 m, dBm, from -127 to 20 (commonly about -59).");
        }

        var beacon = new StoreBeaconDefinition(
            beaconId, zoneId, new BeaconAdvertisement(uuid, (ushort)identity.Major.Value, (ushort)identity.Minor.Value), body.TxPower, FloorGeometry.Position(body.Position, "position"));
        var outcome = await grains.GetGrain<IStoreGrain>(Validate.Id(storeId, "storeId")).RegisterBeacon(beacon);
        return outcome.Result switch
        {
            BeaconRegistrationResult.Registered => TypedResults.Created($"/api/v1/stores/{storeId}/beacons/{beaconId}", ToResponse(beacon)),
            BeaconRegistrationResult.StoreNotFound => throw Problems.NotFound($"There is no store '{storeId}'."),
            BeaconRegistrationResult.ZoneNotFound => throw Problems.BadRequest($"Store '{storeId}' has no zone '{zoneId}'."),
            BeaconRegistrationResult.OtherRegion => throw Problems.BadRequest(outcome.Detail!),
            _ => throw Problems.Conflict(outcome.Detail!),
        };
    }

    private static async Task<IResult> List(string storeId, IStoreDirectory stores)
    {
        var view = await StoreAsync(storeId, stores);
        return TypedResults.Ok(new BeaconListResponse(
            view.StoreId, view.BeaconRegionUuid?.ToString("D"), [.. (view.Snapshot.Beacons ?? []).Select(ToResponse)]));
    }

    private static async Task<IResult> Get(string storeId, string beaconId, IStoreDirectory stores)
    {
        var view = await StoreAsync(storeId, stores);
        return (view.Snapshot.Beacons ?? []).FirstOrDefault(b => b.BeaconId == beaconId) is { } beacon
            ? TypedResults.Ok(ToResponse(beacon))
            : throw Problems.NotFound($"Store '{storeId}' has no beacon '{Validate.Truncate(beaconId)}'.");
    }

    private static async Task<IResult> Delete(string storeId, string beaconId, IGrainFactory grains)
    {
        return await grains.GetGrain<IStoreGrain>(Validate.RouteId(storeId, "store")).RemoveBeacon(Validate.RouteId(beaconId, "beacon"))
            ? TypedResults.NoContent()
            : throw Problems.NotFound($"Store '{storeId}' has no beacon '{Validate.Truncate(beaconId)}'.");
    }

    private static async Task<IResult> GetRegion(ClaimsPrincipal user, IStoreDirectory stores)
    {
        var view = await stores.GetAsync(user.StoreId()) ?? throw Problems.NotFound("This shopper's store no longer exists.");
        return view.BeaconRegionUuid is { } uuid
            ? TypedResults.Ok(new BeaconRegionResponse(uuid.ToString("D"), $"beaconengine.{view.StoreId}"))
            : throw Problems.NotFound($"Store '{view.StoreId}' has no beacons registered, so there is no region to monitor; its gateways hear the phone instead.");
    }

    private static async Task<IResult> Report(HttpContext context, ClaimsPrincipal user, PhoneReportIngestor reports)
    {
        System.Text.Json.JsonDocument document;
        try
        {
            document = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, new System.Text.Json.JsonDocumentOptions { MaxDepth = 16 }, context.RequestAborted);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw Problems.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var response = await reports.IngestAsync(user.SubjectId(), user.StoreId(), document.RootElement);
            return TypedResults.Json(response, statusCode: StatusCodes.Status202Accepted);
        }
    }

    private static async Task<StoreView> StoreAsync(string storeId, IStoreDirectory stores) =>
        await stores.GetAsync(Validate.RouteId(storeId, "store")) ?? throw Problems.NotFound($"There is no store '{Validate.Truncate(storeId)}'.");

    internal static BeaconResponse ToResponse(StoreBeaconDefinition b) => new(
        b.BeaconId, b.ZoneId, new AdvertisementResponse(b.IBeacon.Uuid.ToString("D"), b.IBeacon.Major, b.IBeacon.Minor), b.TxPower, FloorGeometry.ToDto(b.Position));
}
