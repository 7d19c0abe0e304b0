using System.Security.Claims;
using System.Text.Json;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains;
using BeaconEngine.Proximity.Rotation;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Limits;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>The shopper's app: enrolment (no key needed), the wallet, and erasure.</summary>
public static class ShopperEndpoints
{
    private const int MaxPreferencesBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapShopperEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/shoppers", Enrol).AllowAnonymous().RequireRateLimiting(RateLimiting.EnrolmentPolicy).WithTags("Shopper")
            .WithSummary("Enrol a shopper").WithDescription("Returns the shopper's token and the iBeacon identity their app broadcasts.")
            .Produces<EnrolResponse>(StatusCodes.Status201Created)
            .WithExamples(ApiExamples.EnrolRequest, ApiExamples.EnrolResponse);
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(Roles.Shopper).WithTags("Shopper");
        me.MapGet("/", GetMe).WithSummary("The shopper's profile and consent").Produces<ShopperResponse>();
        me.MapGet("/wallet", GetWallet).WithSummary("The shopper's live coupons").Produces<WalletResponse>()
            .WithExamples(null, ApiExamples.WalletResponse);
        me.MapGet("/advertisement", GetAdvertisement).WithSummary("The identity to broadcast at a moment, with its validity")
            .WithDescription("In a rotating store the identity changes every period; `at` (ISO-8601 or Unix ms) defaults to now.")
            .Produces<TimedAdvertisementResponse>();
        me.MapDelete("/", Erase).WithSummary("Erase the shopper: state, trail, wallet and token").Produces(StatusCodes.Status204NoContent);
        return app;
    }

    private static async Task<IResult> Enrol(EnrolRequest body, IGrainFactory grains, IdentityResolver identities, RotatingIdentities rotating, TimeProvider time)
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

            Validate.Unicode(prefs, "preferences");
            preferences = prefs.GetRawText();
            if (preferences.Length > MaxPreferencesBytes)
            {
                throw Problems.BadRequest($"'preferences' is {preferences.Length} bytes; at most {MaxPreferencesBytes} are allowed.");
            }
        }

        var store = await grains.GetGrain<IStoreGrain>(storeId).GetSnapshot()
            ?? throw Problems.BadRequest($"There is no store '{storeId}'.");
        var shopperId = Ids.New("shp");
        var now = time.GetUtcNow();
        byte[]? secret = null;
        BeaconAdvertisement advertisement;
        if (store.Layout.IsRotating)
        {
            // The secret goes to the roster sealed, and to the app once, in this answer; the first period's identity stands in the profile.
            secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(RotatingIdentity.SecretBytes);
            advertisement = Rotated(store.BeaconUuid, secret, now, store.Layout.RotationPeriod);
        }
        else
        {
            advertisement = await grains.GetGrain<IStoreGrain>(storeId).AllocateAdvertisement()
                ?? throw Problems.BadRequest($"There is no store '{storeId}'.");
        }

        var token = AccessKeys.New("sh");
        var tokenHash = AccessKeys.Hash(token);
        var profile = new ShopperProfile(
            shopperId, storeId, new Consent(consent.Proximity.Value, consent.Offers.Value), preferences, advertisement, now, ReadPreferences(body.Preferences), secret is not null);
        await grains.GetGrain<IShopperGrain>(shopperId).Enrol(profile, tokenHash);
        if (secret is not null)
        {
            await rotating.EnrolAsync(storeId, store.BeaconUuid, store.Layout.RotationPeriod, shopperId, secret);
        }
        else
        {
            identities.Forget(advertisement);
        }

        var rotation = secret is null
            ? null
            : new RotationResponse(Convert.ToHexStringLower(secret), store.Layout.RotationPeriod, RotatingIdentity.Scheme, RotatingIdentities.TolerancePeriods);
        return TypedResults.Created("/api/v1/me", new EnrolResponse(shopperId, token, ToResponse(advertisement), rotation));
    }

    private static BeaconAdvertisement Rotated(Guid storeUuid, byte[] secret, DateTimeOffset at, int periodSeconds)
    {
        var identity = RotatingIdentity.Derive(secret, storeUuid, RotatingIdentity.PeriodOf(at, periodSeconds));
        return new BeaconAdvertisement(storeUuid, identity.Major, identity.Minor);
    }

    private static async Task<IResult> GetAdvertisement(ClaimsPrincipal user, IGrainFactory grains, RotatingIdentities rotating, TimeProvider time, string? at = null)
    {
        var moment = time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(at))
        {
            moment = long.TryParse(at, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms <= 253_402_300_799_999
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : UtcTimeConverter.TryParse(at, out var parsed) ? parsed
                : throw Problems.BadRequest($"'at' must be an ISO-8601 time such as 2026-11-23T10:15:00Z or Unix milliseconds; it is '{Validate.Truncate(at)}'.");
        }

        var profile = await grains.GetGrain<IShopperGrain>(user.SubjectId()).GetProfile()
            ?? throw Problems.NotFound("This shopper no longer exists.");
        var a = profile.Advertisement;
        if (!profile.Rotating)
        {
            return TypedResults.Ok(new TimedAdvertisementResponse(a.Uuid.ToString("D"), a.Major, a.Minor, profile.EnrolledAt, null));
        }

        var secret = await rotating.SecretAsync(profile.StoreId, profile.ShopperId)
            ?? throw Problems.NotFound("This shopper's rotation secret is gone (erased, or sealed with another key); enrol again.");
        var periodSeconds = (await grains.GetGrain<IStoreGrain>(profile.StoreId).GetSnapshot())?.Layout.RotationPeriod
            ?? throw Problems.NotFound($"This shopper's store '{profile.StoreId}' no longer exists.");
        var period = RotatingIdentity.PeriodOf(moment, periodSeconds);
        var identity = RotatingIdentity.Derive(secret, a.Uuid, period);
        return TypedResults.Ok(new TimedAdvertisementResponse(
            a.Uuid.ToString("D"),
            identity.Major,
            identity.Minor,
            RotatingIdentity.StartOf(period, periodSeconds),
            RotatingIdentity.StartOf(period + 1, periodSeconds)));
    }

    private static async Task<IResult> GetMe(ClaimsPrincipal user, IGrainFactory grains, BeaconEngine.Grains.Stores.IStoreDirectory stores)
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
            profile.EnrolledAt,
            await stores.GetAsync(profile.StoreId) is { BeaconRegionUuid: { } region } view ? new BeaconRegionResponse(region.ToString("D"), $"beaconengine.{view.StoreId}") : null));
    }

    private static async Task<IResult> GetWallet(ClaimsPrincipal user, IGrainFactory grains)
    {
        var shopperId = user.SubjectId();
        var coupons = await grains.GetGrain<IShopperGrain>(shopperId).GetWallet();
        return TypedResults.Ok(new WalletResponse(shopperId, [.. coupons.Select(ToResponse)]));
    }

    private static async Task<IResult> Erase(
        ClaimsPrincipal user, IGrainFactory grains, IdentityResolver identities, RotatingIdentities rotating, ShopperConnections connections)
    {
        var shopper = grains.GetGrain<IShopperGrain>(user.SubjectId());
        var profile = await shopper.GetProfile();
        await shopper.Erase();

        // The token is revoked; its open hub connections go too, so nothing more reaches an erased shopper.
        connections.CloseAll(user.SubjectId());
        if (profile is { Rotating: true })
        {
            rotating.Forget(profile.StoreId, profile.ShopperId);
        }
        else if (profile is not null)
        {
            identities.Forget(profile.Advertisement);
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// The parts of the app's preferences object that target offers: <c>segments</c> (or <c>needs</c>),
    /// <c>loyaltyTier</c>, <c>interests</c> (categories) and <c>neverOffer</c> (categories). Anything else is kept, unread.
    /// </summary>
    internal static ShopperPreferences? ReadPreferences(JsonElement? preferences)
    {
        if (preferences is not { ValueKind: JsonValueKind.Object } p)
        {
            return null;
        }

        string[] Names(string field)
        {
            if (!p.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || v.GetString()!.Length is 0 or > 64))
            {
                throw Problems.BadRequest($"'preferences.{field}' must be an array of names (1 to 64 characters each).");
            }

            return [.. value.EnumerateArray().Select(v => v.GetString()!.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
        }

        string? tier = null;
        if (p.TryGetProperty("loyaltyTier", out var tierValue) && tierValue.ValueKind != JsonValueKind.Null)
        {
            tier = tierValue.ValueKind == JsonValueKind.String && tierValue.GetString()!.Length is > 0 and <= 64
                ? tierValue.GetString()!.Trim().ToLowerInvariant()
                : throw Problems.BadRequest("'preferences.loyaltyTier' must be a name (1 to 64 characters).");
        }

        return new ShopperPreferences([.. Names("segments").Concat(Names("needs")).Distinct(StringComparer.Ordinal)], tier, Names("interests"), Names("neverOffer"));
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

    internal static AdvertisementResponse ToResponse(BeaconAdvertisement a) => new(a.Uuid.ToString("D"), a.Major, a.Minor);
}
