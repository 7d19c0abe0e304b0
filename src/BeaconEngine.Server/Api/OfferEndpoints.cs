using System.Security.Claims;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>Brands configure their aisle offers and read their results; a brand sees only its own.</summary>
public static class OfferEndpoints
{
    public static IEndpointRouteBuilder MapOfferEndpoints(this IEndpointRouteBuilder app)
    {
        var offers = app.MapGroup("/api/v1/offers").RequireAuthorization(Roles.Brand).WithTags("Brand");
        offers.MapPost("/", Create).WithSummary("Create an offer for zones of a store").Produces<OfferResponse>(StatusCodes.Status201Created)
            .WithExamples(ApiExamples.OfferRequest, ApiExamples.OfferResponse);
        offers.MapGet("/", List).WithSummary("The calling brand's offers")
            .WithDescription("The offers that are live. With ?retired=true, the offers the brand retired instead: they no longer fire, and their results stay readable at /api/v1/offers/{offerId}/stats.")
            .Produces<OfferListResponse>();
        offers.MapGet("/{offerId}", Get).WithSummary("One of the brand's offers")
            .WithDescription("The ETag header carries the offer's version; send it back in If-Match on PUT.").Produces<OfferResponse>();
        offers.MapPut("/{offerId}", Update).WithSummary("Replace one of the brand's offers")
            .WithDescription("With If-Match (the ETag of GET), a 412 problem if another change came first; without it, the last write wins.")
            .Produces<OfferResponse>().ProducesProblem(StatusCodes.Status412PreconditionFailed);
        offers.MapDelete("/{offerId}", Delete).WithSummary("Retire an offer; coupons already issued stay valid").Produces(StatusCodes.Status204NoContent);
        // Outside the brand-only group: the operator reads every offer's results, with nothing hidden.
        app.MapGet("/api/v1/offers/{offerId}/stats", Stats).RequireAuthorization(p => p.RequireRole(Roles.Brand, Roles.Operator)).WithTags("Brand")
            .WithSummary("An offer's results")
            .WithDescription("Counts overall, by zone and by hour, and the lift over the control group with its 95 % interval. "
                + "A brand's zone, hour and group counts from 1 to 4 are null and named in `suppressed`; the operator sees every figure.")
            .Produces<OfferResultsResponse>();
        app.MapGet("/api/v1/brand", Brand).RequireAuthorization(Roles.Brand).WithTags("Brand")
            .WithSummary("The signed-in brand").Produces<BrandResponse>();
        return app;
    }

    private static async Task<IResult> Brand(ClaimsPrincipal user, IGrainFactory grains)
    {
        var brandId = user.SubjectId();
        var name = await grains.GetGrain<IBrandGrain>(brandId).GetName() ?? brandId;
        return TypedResults.Ok(new BrandResponse(brandId, name));
    }

    private static async Task<IResult> Create(OfferRequest body, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time, HttpContext http)
    {
        var brandId = user.SubjectId();
        var now = time.GetUtcNow();
        var offer = await ToDefinitionAsync(body, Ids.New("off"), brandId, now, now, grains);
        if (!await grains.GetGrain<IOfferGrain>(offer.OfferId).Create(offer))
        {
            throw Problems.Conflict("An offer with this id exists already; retry the request.");
        }

        await grains.GetGrain<IBrandGrain>(brandId).AddOffer(offer.OfferId);
        OfferETag.Set(http, 1);
        return TypedResults.Created($"/api/v1/offers/{offer.OfferId}", ToResponse(offer));
    }

    private static async Task<IResult> List(ClaimsPrincipal user, IGrainFactory grains, bool? retired)
    {
        var brand = grains.GetGrain<IBrandGrain>(user.SubjectId());
        if (retired == true)
        {
            var records = await Task.WhenAll((await brand.GetRetiredOfferIds()).Select(id => grains.GetGrain<IOfferGrain>(id).GetIncludingRetired()));
            return TypedResults.Ok(new OfferListResponse([.. records.OfType<OfferRecord>().Select(r => r.Offer).OrderBy(o => o.CreatedAt).Select(ToResponse)]));
        }

        var ids = await brand.GetOfferIds();
        var offers = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOfferGrain>(id).Get()));
        return TypedResults.Ok(new OfferListResponse([.. offers.OfType<OfferDefinition>().OrderBy(o => o.CreatedAt).Select(ToResponse)]));
    }

    private static async Task<IResult> Get(string offerId, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        var id = Validate.RouteId(offerId, "offer");
        if (await grains.GetGrain<IOfferGrain>(id).GetVersioned() is not { } versioned || versioned.Offer.BrandId != user.SubjectId())
        {
            throw Problems.NotFound($"You have no offer '{Validate.Truncate(offerId)}'.");
        }

        OfferETag.Set(http, versioned.Version);
        return TypedResults.Ok(ToResponse(versioned.Offer));
    }

    private static async Task<IResult> Update(string offerId, OfferRequest body, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time, HttpContext http)
    {
        var versions = OfferETag.Parse(http.Request.Headers.IfMatch);
        var existing = await OwnOfferAsync(offerId, user, grains);
        var offer = await ToDefinitionAsync(body, existing.OfferId, existing.BrandId, existing.CreatedAt, time.GetUtcNow(), grains);
        if (offer.StoreId != existing.StoreId)
        {
            throw Problems.BadRequest($"An offer cannot move between stores (it belongs to '{existing.StoreId}'); create a new offer instead.");
        }

        var update = await grains.GetGrain<IOfferGrain>(offer.OfferId).UpdateIfVersion(offer, versions);
        if (!update.Found)
        {
            throw Problems.NotFound($"You have no offer '{offerId}'.");
        }

        if (update.Stale)
        {
            throw Problems.PreconditionFailed(
                $"The offer changed since you read it: If-Match named {http.Request.Headers.IfMatch}, and its ETag is now {OfferETag.Of(update.Version)}. GET it again, apply your change to what it is now, and send that with the new ETag.");
        }

        OfferETag.Set(http, update.Version);
        return TypedResults.Ok(ToResponse(offer));
    }

    private static async Task<IResult> Delete(string offerId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var offer = await OwnOfferAsync(offerId, user, grains);
        await grains.GetGrain<IOfferGrain>(offer.OfferId).Delete();
        await grains.GetGrain<IBrandGrain>(offer.BrandId).RemoveOffer(offer.OfferId);
        return TypedResults.NoContent();
    }

    /// <summary>Also for a retired offer: the coupons it issued still count, and its brand still wants to know.</summary>
    private static async Task<IResult> Stats(string offerId, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time)
    {
        var id = Validate.RouteId(offerId, "offer");
        var grain = grains.GetGrain<IOfferGrain>(id);
        var record = await grain.GetIncludingRetired();
        var brand = !user.IsInRole(Roles.Operator);
        if (record is null || (brand && record.Offer.BrandId != user.SubjectId()))
        {
            throw Problems.NotFound($"You have no offer '{Validate.Truncate(offerId)}'.");
        }

        var stats = await grain.GetStats() ?? throw Problems.NotFound($"You have no offer '{Validate.Truncate(offerId)}'.");
        var report = await grains.GetGrain<Contracts.Analytics.IOfferAnalyticsGrain>(id).GetReport(time.GetUtcNow());
        return TypedResults.Ok(OfferResults.From(record.Offer, stats, report, record.Retired, brand));
    }

    /// <summary>The offer if the caller's brand owns it; otherwise 404, so other brands' offers are not revealed.</summary>
    private static async Task<OfferDefinition> OwnOfferAsync(string offerId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var id = Validate.RouteId(offerId, "offer");
        var offer = await grains.GetGrain<IOfferGrain>(id).Get();
        return offer is not null && offer.BrandId == user.SubjectId()
            ? offer
            : throw Problems.NotFound($"You have no offer '{Validate.Truncate(offerId)}'.");
    }

    private static async Task<OfferDefinition> ToDefinitionAsync(
        OfferRequest body, string offerId, string brandId, DateTimeOffset createdAt, DateTimeOffset now, IGrainFactory grains)
    {
        var storeId = Validate.Id(body.StoreId, "storeId");
        var store = await grains.GetGrain<IStoreGrain>(storeId).GetSnapshot()
            ?? throw Problems.BadRequest($"There is no store '{storeId}'.");

        if (body.ZoneIds is not { Count: > 0 } zoneIds)
        {
            throw Problems.BadRequest("'zoneIds' must list at least one zone of the store.");
        }

        if (zoneIds.Count > 1000)
        {
            throw Problems.BadRequest($"'zoneIds' lists {zoneIds.Count} zones; at most 1000 are allowed.");
        }

        var known = store.Layout.Zones.Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        var zones = new List<string>(zoneIds.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < zoneIds.Count; i++)
        {
            var zoneId = Validate.Id(zoneIds[i], $"zoneIds[{i}]");
            if (!known.Contains(zoneId))
            {
                throw Problems.BadRequest($"Store '{storeId}' has no zone '{zoneId}'.");
            }

            if (seen.Add(zoneId))
            {
                zones.Add(zoneId);
            }
        }

        var discount = body.Discount ?? throw Problems.BadRequest("'discount' is required: { \"kind\": \"percent\" | \"amount\", \"value\": number }.");
        var kind = discount.Kind?.Trim().ToLowerInvariant();
        if (kind is not ("percent" or "amount"))
        {
            throw Problems.BadRequest("'discount.kind' must be \"percent\" or \"amount\".");
        }

        var value = discount.Value ?? throw Problems.BadRequest("'discount.value' is required.");
        if (value <= 0 || (kind == "percent" && value > 100) || value > 1_000_000)
        {
            throw Problems.BadRequest(kind == "percent"
                ? $"'discount.value' must be a percentage above 0 and at most 100 (got {value})."
                : $"'discount.value' must be an amount above 0 and at most 1000000 (got {value}).");
        }

        if (body.ValidFrom is { } from && body.ValidTo is { } to && to <= from)
        {
            throw Problems.BadRequest("'validTo' must be later than 'validFrom'.");
        }

        long? maxCoupons = null;
        if (body.Budget is { } budget)
        {
            maxCoupons = budget.MaxCoupons is >= 1 and <= 1_000_000_000
                ? budget.MaxCoupons
                : throw Problems.BadRequest("'budget.maxCoupons' must be a whole number from 1 to 1000000000.");
        }

        if (body.Trigger?.Trim().ToLowerInvariant() == "enter" && body.MinDwellSeconds > 0)
        {
            throw Problems.BadRequest("An offer with 'trigger' \"enter\" fires on entering, so it cannot have 'minDwellSeconds'; use \"dwell\".");
        }

        if (body.Schedule is { From: { } opens, To: { } closes } && opens.Trim() == closes.Trim())
        {
            throw Problems.BadRequest("'schedule.from' and 'schedule.to' are equal, so the window is empty; leave both out for all day.");
        }

        if (body.Audience is { MinVisits: { } minVisits, MaxVisits: { } maxVisits } && minVisits > maxVisits)
        {
            throw Problems.BadRequest("'audience.minVisits' is larger than 'audience.maxVisits', so no shopper could match.");
        }

        return new OfferDefinition
        {
            OfferId = offerId,
            BrandId = brandId,
            StoreId = storeId,
            ZoneIds = [.. zones],
            Title = Validate.Text(body.Title, "title", 120),
            Description = Validate.OptionalText(body.Description, "description", 1000),
            DiscountKind = kind,
            DiscountValue = value,
            MinDwellSeconds = Validate.Range(body.MinDwellSeconds, "minDwellSeconds", 0, 86_400, 0),
            ValidFrom = body.ValidFrom,
            ValidTo = body.ValidTo,
            MaxPerShopper = Validate.Range(body.MaxPerShopper, "maxPerShopper", 1, 1000, 1),
            MaxCoupons = maxCoupons,
            CouponTtlMinutes = Validate.Range(body.CouponTtlMinutes, "couponTtlMinutes", 1, 525_600, 60),
            CreatedAt = createdAt,
            UpdatedAt = now,
            Category = Validate.OptionalText(body.Category, "category", 64) is { Length: > 0 } category ? category.ToLowerInvariant() : null,
            Trigger = body.Trigger?.Trim().ToLowerInvariant() switch
            {
                null or "" => null,
                "enter" or "dwell" or "exit" => body.Trigger.Trim().ToLowerInvariant(),
                _ => throw Problems.BadRequest("'trigger' must be \"enter\", \"dwell\" or \"exit\"."),
            },
            ScheduleDays = [.. (body.Schedule?.Days ?? []).Select((d, i) => Day(d, $"schedule.days[{i}]")).Distinct()],
            ScheduleFrom = LocalTime(body.Schedule?.From, "schedule.from"),
            ScheduleTo = LocalTime(body.Schedule?.To, "schedule.to"),
            Segments = Names(body.Audience?.Segments, "audience.segments"),
            LoyaltyTiers = Names(body.Audience?.LoyaltyTiers, "audience.loyaltyTiers"),
            MinVisits = body.Audience?.MinVisits is { } min ? Validate.Range(min, "audience.minVisits", 1, 100_000, 1) : null,
            MaxVisits = body.Audience?.MaxVisits is { } max ? Validate.Range(max, "audience.maxVisits", 1, 100_000, 1) : null,
            Visitors = body.Audience?.Visitors?.Trim().ToLowerInvariant() switch
            {
                null or "" or "any" => "any",
                "new" => "new",
                "returning" => "returning",
                _ => throw Problems.BadRequest("'audience.visitors' must be \"any\", \"new\" or \"returning\"."),
            },
            RequiresInterest = body.Audience?.RequiresInterest == true,
            Priority = body.Priority is { } priority
                ? (double.IsFinite(priority) && priority is > 0 and <= 100 ? priority : throw Problems.BadRequest("'priority' must be above 0 and at most 100 (1 is neutral)."))
                : 1,
            HoldoutShare = body.HoldoutShare is { } share
                ? (double.IsFinite(share) && share is >= 0 and <= 0.5 ? share : throw Problems.BadRequest("'holdoutShare' must be from 0 to 0.5 (the default is 0.1)."))
                : 0.1,
            CapMaxCouponsToday = body.Caps?.MaxCouponsToday is { } today ? Validate.Range(today, "caps.maxCouponsToday", 0, 100, 0) : null,
            CapMinGapMinutes = Minutes(body.Caps?.MinGapMinutes, "caps.minGapMinutes"),
            CapQuietAfterDismissalMinutes = Minutes(body.Caps?.QuietAfterDismissalMinutes, "caps.quietAfterDismissalMinutes"),
            Presence = body.Presence?.Trim().ToLowerInvariant() switch
            {
                null or "" or "any" => "any",
                "gateway" => "gateway",
                _ => throw Problems.BadRequest("'presence' must be \"any\" (the phone's beacon reports may place the shopper) or \"gateway\" (a gateway of the zone must hear them)."),
            },
        };
    }

    // The range pattern also refuses NaN and infinities.
    private static double? Minutes(double? value, string field) =>
        value is null or (>= 0 and <= 10_080)
            ? value
            : throw Problems.BadRequest($"'{field}' must be from 0 to 10080 minutes (a week).");

    private static string Day(string? day, string field) =>
        Enum.TryParse<DayOfWeek>(day?.Trim(), ignoreCase: true, out var d) && !int.TryParse(day, out _)
            ? d.ToString().ToLowerInvariant()
            : throw Problems.BadRequest($"'{field}' must be a day name such as \"monday\".");

    private static string? LocalTime(string? text, string field) =>
        text is null ? null
        : TimeOnly.TryParseExact(text.Trim(), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t)
            ? t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)
            : throw Problems.BadRequest($"'{field}' must be a local time \"HH:mm\" such as \"08:30\".");

    private static string[] Names(List<string?>? names, string field)
    {
        if (names is { Count: > 50 })
        {
            throw Problems.BadRequest($"'{field}' lists {names.Count} names; at most 50 are allowed.");
        }

        return [.. (names ?? []).Select((n, i) => Validate.Text(n, $"{field}[{i}]", 64).ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
    }

    internal static OfferResponse ToResponse(OfferDefinition o) => new(
        o.OfferId,
        o.BrandId,
        o.StoreId,
        o.ZoneIds,
        o.Title,
        o.Description,
        new DiscountResponse(o.DiscountKind, o.DiscountValue),
        o.MinDwellSeconds,
        o.ValidFrom,
        o.ValidTo,
        o.MaxPerShopper,
        o.MaxCoupons is { } max ? new BudgetResponse(max) : null,
        o.CouponTtlMinutes,
        o.CreatedAt,
        o.UpdatedAt,
        o.Category,
        o.Trigger ?? (o.MinDwellSeconds > 0 ? "dwell" : "enter"),
        o.ScheduleDays.Length == 0 && o.ScheduleFrom is null && o.ScheduleTo is null ? null : new ScheduleDto([.. o.ScheduleDays], o.ScheduleFrom, o.ScheduleTo),
        new AudienceDto([.. o.Segments], [.. o.LoyaltyTiers], o.MinVisits, o.MaxVisits, o.Visitors, o.RequiresInterest),
        o.Priority,
        o.HoldoutShare,
        o.CapMaxCouponsToday is null && o.CapMinGapMinutes is null && o.CapQuietAfterDismissalMinutes is null
            ? null
            : new CapsDto(o.CapMaxCouponsToday, o.CapMinGapMinutes, o.CapQuietAfterDismissalMinutes),
        o.Presence);
}
