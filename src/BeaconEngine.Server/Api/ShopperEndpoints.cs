using System.Security.Claims;
using System.Text.Json;
using BeaconEngine.Contracts.Access;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>The shopper's app: enrolment (no key needed), the wallet, and erasure.</summary>
public static class ShopperEndpoints
{
    private const int MaxPreferencesBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapShopperEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/shoppers", Enrol).AllowAnonymous().WithTags("Shopper")
            .WithSummary("Enrol a shopper; returns the token and the iBeacon identity the app broadcasts");
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(Roles.Shopper).WithTags("Shopper");
        me.MapGet("/", GetMe).WithSummary("The shopper's profile and consent");
        me.MapGet("/wallet", GetWallet).WithSummary("The shopper's live coupons");
        me.MapDelete("/", Erase).WithSummary("Erase the shopper: state, trail, wallet and token");
        return app;
    }

    private static async Task<IResult> Enrol(EnrolRequest body, IGrainFactory grains, IdentityResolver identities, TimeProvider time)
    {
        var storeId = Validate.Id(body.StoreId, "storeId");
        var consent = body.Consent ?? throw Problems.BadRequest("'consent' is required: { \"proximity\": true|false, \"offers\": true|false }.");
        if (consent.Proximity is null || consent.Offers is null)
        {
            throw Problems.BadRequest("'consent.proximity' and 'consent.offers' must both be given as true or false.");
        }

        string? preferences = null;
        if (body.Preferences is { ValueKind: not JsonValueKind.Null } prefs)
        {
            if (prefs.ValueKind != JsonValueKind.Object)
            {
                throw Problems.BadRequest("'preferences' must be a JSON object.");
            }

            preferences = prefs.GetRawText();
            if (preferences.Length > MaxPreferencesBytes)
            {
                throw Problems.BadRequest($"'preferences' is {preferences.Length} bytes; at most {MaxPreferencesBytes} are allowed.");
            }
        }

        var advertisement = await grains.GetGrain<IStoreGrain>(storeId).AllocateAdvertisement()
            ?? throw Problems.BadRequest($"There is no store '{storeId}'.");

        var shopperId = Ids.New("shp");
        var token = AccessKeys.New("sh");
        var tokenHash = AccessKeys.Hash(token);
        var profile = new ShopperProfile(shopperId, storeId, new Consent(consent.Proximity.Value, consent.Offers.Value), preferences, advertisement, time.GetUtcNow());
        await grains.GetGrain<IShopperGrain>(shopperId).Enrol(profile, tokenHash);
        await grains.GetGrain<IBeaconIdentityGrain>(advertisement.Key).Assign(shopperId);
        await grains.GetGrain<IAccessKeyGrain>(tokenHash).Issue(new AccessPrincipal(AccessRole.Shopper, shopperId, storeId));
        identities.Forget(advertisement.Key);
        return TypedResults.Created("/api/v1/me", new EnrolResponse(shopperId, token, ToResponse(advertisement)));
    }

    private static async Task<IResult> GetMe(ClaimsPrincipal user, IGrainFactory grains)
    {
        var profile = await grains.GetGrain<IShopperGrain>(user.SubjectId()).GetProfile()
            ?? throw Problems.NotFound("This shopper no longer exists.");
        JsonElement? preferences = profile.PreferencesJson is null ? null : JsonDocument.Parse(profile.PreferencesJson).RootElement.Clone();
        return TypedResults.Ok(new ShopperResponse(
            profile.ShopperId,
            profile.StoreId,
            new ConsentDto(profile.Consent.Proximity, profile.Consent.Offers),
            preferences,
            ToResponse(profile.Advertisement),
            profile.EnrolledAt));
    }

    private static async Task<IResult> GetWallet(ClaimsPrincipal user, IGrainFactory grains)
    {
        var shopperId = user.SubjectId();
        var coupons = await grains.GetGrain<IShopperGrain>(shopperId).GetWallet();
        return TypedResults.Ok(new WalletResponse(shopperId, [.. coupons.Select(ToResponse)]));
    }

    private static async Task<IResult> Erase(ClaimsPrincipal user, IGrainFactory grains, IdentityResolver identities)
    {
        var shopper = grains.GetGrain<IShopperGrain>(user.SubjectId());
        var profile = await shopper.GetProfile();
        await shopper.Erase();
        if (profile is not null)
        {
            identities.Forget(profile.Advertisement.Key);
        }

        return TypedResults.NoContent();
    }

    internal static CouponResponse ToResponse(Coupon c) => new(
        c.CouponId,
        c.OfferId,
        c.BrandId,
        c.Title,
        c.Description,
        new DiscountResponse(c.DiscountKind, c.DiscountValue),
        c.ZoneId,
        c.Code,
        c.IssuedAt,
        c.ExpiresAt,
        c.Status.ToString().ToLowerInvariant());

    private static AdvertisementResponse ToResponse(BeaconAdvertisement a) => new(a.Uuid.ToString("D"), a.Major, a.Minor);
}
