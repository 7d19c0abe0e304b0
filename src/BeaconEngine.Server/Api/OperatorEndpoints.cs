using System.Security.Claims;
using BeaconEngine.Contracts.Access;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Rules.Policy;
using BeaconEngine.Server.Security;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Api;

/// <summary>The retailer's back office: store layouts, gateways, brands, trails and the till's redemptions.</summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        var stores = app.MapGroup("/api/v1/stores").RequireAuthorization(Roles.Operator).WithTags("Operator");
        stores.MapPut("/{storeId}", PutStore).WithSummary("Create or replace a store's layout").Produces<StoreResponse>()
            .WithExamples(ApiExamples.StoreRequest, ApiExamples.StoreResponse);
        stores.MapGet("/{storeId}", GetStore).WithSummary("A store's layout and gateways").Produces<StoreResponse>();
        stores.MapPost("/{storeId}/gateways", RegisterGateway).WithSummary("Register a gateway and issue its key").Produces<GatewayKeyResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(ApiExamples.GatewayRequest, ApiExamples.GatewayResponse);
        stores.MapGet("/{storeId}/shoppers/{shopperId}/trail", GetTrail).WithSummary("The zones the engine placed a shopper in").Produces<TrailResponse>();
        stores.MapPost("/{storeId}/tills", RegisterTill).WithSummary("Issue a till key").WithDescription("The till's key reports purchases and redeems coupons in this store only.")
            .Produces<TillKeyResponse>(StatusCodes.Status201Created)
            .WithExamples(ApiExamples.TillRequest, ApiExamples.TillResponse);
        stores.MapGet("/{storeId}/shoppers/{shopperId}/explain", Explain)
            .WithSummary("Explain a decision for a shopper").WithDescription("What the rules would decide for the shopper at a zone event, and why: ?zoneId=&trigger=enter|dwell|exit&dwellSeconds=&at=.")
            .Produces<ExplanationResponse>();

        app.MapPost("/api/v1/stores/{storeId}/redemptions", Redeem).RequireAuthorization(Roles.TillOrOperator).WithTags("Operator")
            .WithSummary("Redeem a coupon code at the till, once")
            .WithDescription("The first scan of a code gets 200; every later scan, at any till, a 409. An expired coupon's code gets 410; a code of another store or none at all, 404.")
            .Produces<RedemptionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithExamples(ApiExamples.RedemptionRequest, ApiExamples.RedemptionResponse);

        app.MapPost("/api/v1/brands", RegisterBrand).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("Register a brand and issue its key").Produces<BrandKeyResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(ApiExamples.BrandRequest, ApiExamples.BrandResponse);
        return app;
    }

    private static async Task<IResult> PutStore(string storeId, StoreRequest body, IGrainFactory grains, IOptions<EngineOptions> engine)
    {
        var id = Validate.Id(storeId, "storeId");
        var layout = ToLayout(body);
        try
        {
            ProximitySettingsMapper.Apply(engine.Value.Proximity, layout.Proximity);
        }
        catch (ArgumentException ex)
        {
            throw Problems.BadRequest($"'proximity': {ApiSpelling(ex)}");
        }

        try
        {
            ContactSettingsMapper.Apply(ContactPolicy.Default, layout.Contact);
        }
        catch (ArgumentException ex)
        {
            throw Problems.BadRequest($"'contactPolicy': {ApiSpelling(ex)}");
        }

        var change = await grains.GetGrain<IStoreGrain>(id).PutLayout(layout);
        return change.Snapshot is { } snapshot
            ? TypedResults.Ok(ToResponse(snapshot, engine.Value))
            : throw Problems.Conflict(change.Refusal!);
    }

    /// <summary>An option error as the JSON spells names (camelCase), without .NET's "(Parameter ...)" suffix.</summary>
    private static string ApiSpelling(ArgumentException ex)
    {
        var message = ex.Message.Split(" (Parameter", 2)[0];
        return $"{char.ToLowerInvariant(message[0])}{message[1..]}";
    }

    private static async Task<IResult> GetStore(string storeId, IGrainFactory grains, IOptions<EngineOptions> engine)
    {
        var id = Validate.RouteId(storeId, "store");
        var snapshot = await grains.GetGrain<IStoreGrain>(id).GetSnapshot()
            ?? throw Problems.NotFound($"There is no store '{id}'. Create it with PUT /api/v1/stores/{id}.");
        return TypedResults.Ok(ToResponse(snapshot, engine.Value));
    }

    private static async Task<IResult> RegisterGateway(string storeId, GatewayRequest body, IGrainFactory grains)
    {
        var id = Validate.RouteId(storeId, "store");
        var gatewayId = Validate.Id(body.GatewayId, "gatewayId");
        var zoneId = Validate.Id(body.ZoneId, "zoneId");
        var offset = body.RssiOffset ?? 0;
        if (offset is < -40 or > 40 || double.IsNaN(offset))
        {
            throw Problems.BadRequest($"'rssiOffset' must be between -40 and 40 dB (got {offset}).");
        }

        var position = FloorGeometry.Position(body.Position, "position");
        var result = await grains.GetGrain<IStoreGrain>(id).RegisterGateway(new GatewayDefinition(gatewayId, zoneId, offset, position));
        switch (result)
        {
            case GatewayRegistrationResult.StoreNotFound:
                throw Problems.NotFound($"There is no store '{id}'. Create it with PUT /api/v1/stores/{id} first.");
            case GatewayRegistrationResult.ZoneNotFound:
                throw Problems.BadRequest($"Store '{id}' has no zone '{zoneId}'. Add the zone to the store's layout first.");
            case GatewayRegistrationResult.AlreadyRegistered:
                throw Problems.Conflict($"Gateway '{gatewayId}' is already registered in store '{id}'.");
        }

        var key = AccessKeys.New("gw");
        await grains.GetGrain<IAccessKeyGrain>(AccessKeys.Hash(key)).Issue(new AccessPrincipal(AccessRole.Gateway, gatewayId, id));
        return TypedResults.Created($"/api/v1/stores/{id}", new GatewayKeyResponse(gatewayId, key));
    }

    private static async Task<IResult> RegisterBrand(BrandRequest body, IGrainFactory grains)
    {
        var brandId = Validate.Id(body.BrandId, "brandId");
        var name = Validate.Text(body.Name, "name", 200);
        if (!await grains.GetGrain<IBrandGrain>(brandId).Register(name))
        {
            throw Problems.Conflict($"Brand '{brandId}' is already registered.");
        }

        var key = AccessKeys.New("br");
        await grains.GetGrain<IAccessKeyGrain>(AccessKeys.Hash(key)).Issue(new AccessPrincipal(AccessRole.Brand, brandId, null));
        return TypedResults.Created($"/api/v1/brands/{brandId}", new BrandKeyResponse(brandId, key));
    }

    private static async Task<IResult> GetTrail(string storeId, string shopperId, IGrainFactory grains)
    {
        var shopper = grains.GetGrain<IShopperGrain>(Validate.RouteId(shopperId, "shopper"));
        var profile = await shopper.GetProfile();
        if (profile is null || profile.StoreId != storeId)
        {
            throw Problems.NotFound($"Store '{Validate.Truncate(storeId)}' has no shopper '{Validate.Truncate(shopperId)}'.");
        }

        var trail = await shopper.GetTrail();
        return TypedResults.Ok(new TrailResponse(profile.ShopperId, [.. trail.Select(t => new TrailTransition(t.ZoneId, t.EnteredAt, t.ExitedAt, t.ZoneId is null ? null : t.PhoneOnly ? "phone" : "gateway"))]));
    }

    private static async Task<IResult> Explain(
        string storeId, string shopperId, string? zoneId, string? trigger, double? dwellSeconds, string? at, IGrainFactory grains, TimeProvider time)
    {
        var zone = Validate.Id(zoneId, "zoneId");
        var kind = (trigger ?? "dwell").Trim().ToLowerInvariant();
        if (kind is not ("enter" or "dwell" or "exit"))
        {
            throw Problems.BadRequest("'trigger' must be \"enter\", \"dwell\" or \"exit\".");
        }

        var dwell = dwellSeconds ?? 0;
        if (!double.IsFinite(dwell) || dwell is < 0 or > 86_400)
        {
            throw Problems.BadRequest("'dwellSeconds' must be between 0 and 86400.");
        }

        var moment = time.GetUtcNow();
        if (at is not null)
        {
            if (long.TryParse(at, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms <= 253_402_300_799_999)
            {
                moment = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
            else if (!UtcTimeConverter.TryParse(at, out moment))
            {
                throw Problems.BadRequest("'at' must be an ISO-8601 time such as 2026-11-23T10:15:00Z, or Unix milliseconds.");
            }
        }

        var shopper = grains.GetGrain<IShopperGrain>(Validate.RouteId(shopperId, "shopper"));
        var profile = await shopper.GetProfile();
        if (profile is null || profile.StoreId != storeId)
        {
            throw Problems.NotFound($"Store '{Validate.Truncate(storeId)}' has no shopper '{Validate.Truncate(shopperId)}'.");
        }

        var explanation = await shopper.Explain(zone, kind, TimeSpan.FromSeconds(dwell), moment)
            ?? throw Problems.NotFound($"Store '{Validate.Truncate(storeId)}' has no shopper '{Validate.Truncate(shopperId)}'.");
        return TypedResults.Ok(new ExplanationResponse(
            profile.ShopperId, zone, kind, dwell, moment, explanation.Decision, explanation.OfferId, explanation.BlockedBy,
            [.. explanation.Candidates.Select(c => new ExplainedCandidate(c.OfferId, c.Outcome, c.Score, c.RedemptionChance))]));
    }

    private static async Task<IResult> RegisterTill(string storeId, TillRequest body, IGrainFactory grains)
    {
        var id = Validate.RouteId(storeId, "store");
        var tillId = Validate.Id(body.TillId, "tillId");
        _ = await grains.GetGrain<IStoreGrain>(id).GetSnapshot()
            ?? throw Problems.NotFound($"There is no store '{id}'. Create it with PUT /api/v1/stores/{id} first.");
        var key = AccessKeys.New("tl");
        await grains.GetGrain<IAccessKeyGrain>(AccessKeys.Hash(key)).Issue(new AccessPrincipal(AccessRole.Till, tillId, id));
        return TypedResults.Created($"/api/v1/stores/{id}", new TillKeyResponse(id, tillId, key));
    }

    private static async Task<IResult> Redeem(string storeId, RedemptionRequest body, ClaimsPrincipal user, CouponCodeBook codes, TimeProvider time)
    {
        var id = Validate.RouteId(storeId, "store");
        if (!user.MayActIn(id))
        {
            throw Problems.NotFound($"There is no store '{id}' for this key.");
        }

        var code = Validate.Text(body.Code, "code", 64).ToUpperInvariant();
        var result = await codes.RedeemAsync(id, code, time.GetUtcNow());
        return result.Outcome switch
        {
            RedemptionOutcome.Redeemed => TypedResults.Ok(new RedemptionResponse(result.Ticket!.CouponId, result.Ticket.OfferId, result.Ticket.ShopperId)),
            RedemptionOutcome.AlreadyRedeemed => throw Problems.Conflict($"Coupon code '{code}' was already redeemed."),
            RedemptionOutcome.Expired => throw Problems.Gone($"Coupon code '{code}' expired at {UtcTimeConverter.Format(result.Ticket!.ExpiresAt)}."),
            _ => throw Problems.NotFound($"Store '{id}' has no coupon with code '{Validate.Truncate(code)}'."),
        };
    }

    private static StoreLayout ToLayout(StoreRequest body)
    {
        var name = Validate.Text(body.Name, "name", 200);
        var timeZone = string.IsNullOrWhiteSpace(body.TimeZone) ? "UTC" : body.TimeZone.Trim();
        Validate.Printable(timeZone, "timeZone");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            throw Problems.BadRequest($"'timeZone' '{Validate.Truncate(timeZone)}' is not a known IANA time zone (e.g. 'Europe/Warsaw').");
        }

        if (body.Zones is not { Count: > 0 } zones)
        {
            throw Problems.BadRequest("'zones' must list at least one zone.");
        }

        if (zones.Count > 10_000)
        {
            throw Problems.BadRequest($"'zones' lists {zones.Count} zones; at most 10000 are allowed.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var definitions = new List<ZoneDefinition>(zones.Count);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i] ?? throw Problems.BadRequest($"'zones[{i}]' must be an object.");
            var zoneId = Validate.Id(zone.Id, $"zones[{i}].id");
            if (!ids.Add(zoneId))
            {
                throw Problems.BadRequest($"Zone id '{zoneId}' appears more than once.");
            }

            definitions.Add(new ZoneDefinition(
                zoneId,
                Validate.OptionalText(zone.Name, $"zones[{i}].name", 200) is { Length: > 0 } n ? n : zoneId,
                Validate.OptionalText(zone.Kind, $"zones[{i}].kind", 64),
                Validate.OptionalText(zone.Category, $"zones[{i}].category", 64),
                [.. (zone.Neighbors ?? []).Select((nb, j) => Validate.Id(nb, $"zones[{i}].neighbors[{j}]")).Distinct(StringComparer.Ordinal)],
                FloorGeometry.Shape(zone.Shape, $"zones[{i}].shape")));
        }

        foreach (var zone in definitions)
        {
            foreach (var neighbor in zone.Neighbors)
            {
                if (!ids.Contains(neighbor) || neighbor == zone.Id)
                {
                    throw Problems.BadRequest($"Zone '{zone.Id}' names neighbor '{neighbor}', which is not another zone of this store.");
                }
            }
        }

        var identity = (body.Identity?.Trim().ToLowerInvariant()) switch
        {
            null or "" or StoreIdentity.Static => null,
            StoreIdentity.Rotating => StoreIdentity.Rotating,
            _ => throw Problems.BadRequest($"'identity' must be \"static\" (the default) or \"rotating\" (recommended); it is '{Validate.Truncate(body.Identity!)}'."),
        };
        if (body.RotationPeriodSeconds is { } period
            && period is < StoreIdentity.MinRotationPeriodSeconds or > StoreIdentity.MaxRotationPeriodSeconds)
        {
            throw Problems.BadRequest(
                $"'rotationPeriodSeconds' must be from {StoreIdentity.MinRotationPeriodSeconds} to {StoreIdentity.MaxRotationPeriodSeconds} seconds (default {StoreIdentity.DefaultRotationPeriodSeconds}); it is {period}.");
        }

        var globalControl = body.GlobalControlShare is not { } share || (double.IsFinite(share) && share is >= 0 and <= GlobalControl.MaxShare)
            ? body.GlobalControlShare
            : throw Problems.BadRequest($"'globalControlShare' must be from 0 to {GlobalControl.MaxShare} (got {body.GlobalControlShare}); leave it out for the default.");
        return new StoreLayout(name, timeZone, [.. definitions], body.Proximity, body.ContactPolicy, identity, body.RotationPeriodSeconds, GlobalControlShare: globalControl);
    }

    private static StoreResponse ToResponse(StoreSnapshot s, EngineOptions engine) => new(
        s.StoreId,
        s.Layout.Name,
        s.Layout.TimeZone,
        [.. s.Layout.Zones.Select(z => new ZoneResponse(z.Id, z.Name, z.Kind, z.Category, z.Neighbors, FloorGeometry.ToDto(z.Shape)))],
        [.. s.Gateways.Select(g => new GatewayResponse(g.GatewayId, g.ZoneId, g.RssiOffset, FloorGeometry.ToDto(g.Position)))],
        s.BeaconUuid.ToString("D"),
        ProximitySettingsMapper.Describe(ProximitySettingsMapper.Apply(engine.Proximity, s.Layout.Proximity)),
        ContactSettingsMapper.Describe(ContactSettingsMapper.Apply(ContactPolicy.Default, s.Layout.Contact)),
        s.Calibration is { } calibration ? CalibrationEndpoints.ToResponse(s.StoreId, calibration) : null,
        s.Layout.IsRotating ? StoreIdentity.Rotating : StoreIdentity.Static,
        s.Beacons is [var beacon, ..] ? beacon.IBeacon.Uuid.ToString("D") : null,
        s.Layout.RotationPeriod,
        GlobalControlShare: s.Layout.GlobalControlShare ?? engine.GlobalControlShare);
}
