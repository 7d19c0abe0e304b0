using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Push;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>The shopper keeps control: preferences and quiet hours, consent, channel, loyalty card, and "not relevant".</summary>
public static class SelfServiceEndpoints
{
    private const int MaxPreferencesBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapSelfServiceEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(Roles.Shopper).WithTags("Shopper");
        me.MapGet("/preferences", GetPreferences).WithSummary("The shopper's preferences as the rules read them").Produces<PreferencesResponse>();
        me.MapPut("/preferences", PutPreferences)
            .WithSummary("Replace the shopper's preferences").WithDescription("interests, needs, neverOffer (categories), loyaltyTier and quietHours { from, to } in the store's time, HH:mm. Replaces them whole.")
            .Produces<PreferencesResponse>();
        me.MapPut("/consent", PutConsent).WithSummary("Give or withdraw consent").WithDescription("Withdrawing proximity also forgets the shopper's trail.").Produces<ShopperResponse>();
        me.MapGet("/channel", GetChannel).WithSummary("How coupons reach the shopper").Produces<ChannelResponse>();
        me.MapPut("/channel", PutChannel).WithSummary("Choose how coupons reach the shopper").WithDescription("inApp (SignalR only) or push (also a signed webhook to the retailer's push service).").Produces<ChannelResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        me.MapGet("/loyalty", GetLoyalty).WithSummary("The loyalty card linked to the shopper").Produces<LoyaltyResponse>();
        me.MapPut("/loyalty", PutLoyalty).WithSummary("Link a loyalty card").WithDescription("The till can then name the shopper by it.").Produces<LoyaltyResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        me.MapDelete("/loyalty", DeleteLoyalty).WithSummary("Unlink the loyalty card").Produces(StatusCodes.Status204NoContent);
        me.MapPost("/coupons/{couponId}/not-relevant", NotRelevant)
            .WithSummary("Mark a coupon not relevant").WithDescription("Closes the coupon; the rules send no more of its category to this shopper.")
            .Produces(StatusCodes.Status204NoContent);
        return app;
    }

    private static async Task<ShopperProfile> ProfileAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        await grains.GetGrain<IShopperGrain>(user.SubjectId()).GetProfile()
            ?? throw Problems.NotFound("This shopper no longer exists.");

    private static async Task<IResult> GetPreferences(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(ToResponse(await ProfileAsync(user, grains)));

    private static async Task<IResult> PutPreferences(JsonElement body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Problems.BadRequest("The body must be a JSON object of preferences.");
        }

        Validate.Unicode(body, "preferences");
        var json = body.GetRawText();
        if (json.Length > MaxPreferencesBytes)
        {
            throw Problems.BadRequest($"The preferences are {json.Length} bytes; at most {MaxPreferencesBytes} are allowed.");
        }

        var preferences = ShopperEndpoints.ReadPreferences(body) ?? new ShopperPreferences([], null, [], []);
        var (from, to) = ReadQuietHours(body);
        var profile = await grains.GetGrain<IShopperSelfServiceGrain>(user.SubjectId()).SetPreferences(preferences with { QuietFrom = from, QuietTo = to }, json)
            ?? throw Problems.NotFound("This shopper no longer exists.");
        return TypedResults.Ok(ToResponse(profile));
    }

    private static async Task<IResult> PutConsent(ConsentDto body, ClaimsPrincipal user, IGrainFactory grains, IdentityResolver identities)
    {
        if (body.Proximity is null || body.Offers is null)
        {
            throw Problems.BadRequest("'proximity' and 'offers' must both be given as true or false.");
        }

        var profile = await grains.GetGrain<IShopperSelfServiceGrain>(user.SubjectId()).SetConsent(new Consent(body.Proximity.Value, body.Offers.Value))
            ?? throw Problems.NotFound("This shopper no longer exists.");
        identities.Forget(profile.Advertisement);
        return TypedResults.Ok(new ShopperResponse(
            profile.ShopperId,
            profile.StoreId,
            new ConsentDto(profile.Consent.Proximity, profile.Consent.Offers),
            profile.PreferencesJson is null ? null : JsonDocument.Parse(profile.PreferencesJson).RootElement.Clone(),
            ShopperEndpoints.ToResponse(profile.Advertisement),
            profile.EnrolledAt));
    }

    private static async Task<IResult> GetChannel(ClaimsPrincipal user, IGrainFactory grains)
    {
        await ProfileAsync(user, grains);
        var channel = await grains.GetGrain<IShopperSettingsGrain>(user.SubjectId()).Get();
        return TypedResults.Ok(new ChannelResponse(channel.Kind, channel.PushToken));
    }

    private static async Task<IResult> PutChannel(ChannelRequest body, ClaimsPrincipal user, IGrainFactory grains, WebhookDispatcher webhooks)
    {
        await ProfileAsync(user, grains);
        var kind = body.Kind?.Trim() switch
        {
            "inApp" or "inapp" => "inApp",
            "push" => "push",
            _ => throw Problems.BadRequest("'kind' must be \"inApp\" (coupons in the app over SignalR) or \"push\" (also through the retailer's push service)."),
        };
        if (kind == "push" && !webhooks.Enabled)
        {
            throw Problems.Conflict("This server has no push service configured (BeaconEngine:Push:WebhookUrl); only \"inApp\" is available.");
        }

        var token = Validate.OptionalText(body.PushToken, "pushToken", 4096);
        var settings = grains.GetGrain<IShopperSettingsGrain>(user.SubjectId());
        var current = await settings.Get();
        await settings.Set(current with { Kind = kind, PushToken = kind == "push" ? token : null });
        return TypedResults.Ok(new ChannelResponse(kind, kind == "push" ? token : null));
    }

    private static async Task<IResult> GetLoyalty(ClaimsPrincipal user, IGrainFactory grains)
    {
        await ProfileAsync(user, grains);
        return TypedResults.Ok(new LoyaltyResponse((await grains.GetGrain<IShopperSettingsGrain>(user.SubjectId()).Get()).LoyaltyId));
    }

    private static async Task<IResult> PutLoyalty(LoyaltyRequest body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var loyaltyId = Validate.Id(body.LoyaltyId, "loyaltyId");
        return await grains.GetGrain<IShopperSelfServiceGrain>(user.SubjectId()).LinkLoyalty(loyaltyId) switch
        {
            LoyaltyLink.Linked => TypedResults.Ok(new LoyaltyResponse(loyaltyId)),
            _ => throw Problems.NotFound("This shopper no longer exists."),
        };
    }

    private static async Task<IResult> DeleteLoyalty(ClaimsPrincipal user, IGrainFactory grains) =>
        await grains.GetGrain<IShopperSelfServiceGrain>(user.SubjectId()).UnlinkLoyalty()
            ? TypedResults.NoContent()
            : throw Problems.NotFound("This shopper no longer exists.");

    private static async Task<IResult> NotRelevant(string couponId, ClaimsPrincipal user, IGrainFactory grains) =>
        await grains.GetGrain<IShopperSelfServiceGrain>(user.SubjectId()).MarkNotRelevant(couponId)
            ? TypedResults.NoContent()
            : throw Problems.NotFound($"You hold no coupon '{Validate.Truncate(couponId)}'.");

    private static (string? From, string? To) ReadQuietHours(JsonElement body)
    {
        if (!body.TryGetProperty("quietHours", out var quiet) || quiet.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        string Time(string field) =>
            quiet.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            && TimeOnly.TryParseExact(v.GetString()!.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t.ToString("HH:mm", CultureInfo.InvariantCulture)
                : throw Problems.BadRequest($"'quietHours.{field}' must be a local time \"HH:mm\" such as \"21:00\".");

        if (quiet.ValueKind != JsonValueKind.Object)
        {
            throw Problems.BadRequest("'quietHours' must be { \"from\": \"HH:mm\", \"to\": \"HH:mm\" } in the store's time zone.");
        }

        var (from, to) = (Time("from"), Time("to"));
        return from == to ? throw Problems.BadRequest("'quietHours.from' and 'quietHours.to' are equal; leave 'quietHours' out for none.") : (from, to);
    }

    private static PreferencesResponse ToResponse(ShopperProfile profile)
    {
        var p = profile.Preferences;
        return new PreferencesResponse(
            p?.Segments ?? [],
            p?.LoyaltyTier,
            p?.Interests ?? [],
            p?.NeverOffer ?? [],
            p is { QuietFrom: { } from, QuietTo: { } to } ? new QuietHoursDto(from, to) : null,
            profile.PreferencesJson is null ? null : JsonDocument.Parse(profile.PreferencesJson).RootElement.Clone());
    }
}
