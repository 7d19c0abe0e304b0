using System.Text.Json;
using System.Text.Json.Serialization;
using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Server.Api;

// Request bodies: every member nullable, so a missing field gets a clear 400 from validation
// instead of a default value slipping through.

/// <summary>
/// <c>identity</c>: "static" (default) or "rotating" (recommended: shoppers' identities rotate and only the server resolves them);
/// <c>rotationPeriodSeconds</c>: how long each rotating identity lasts (5 to 86,400; default 600).
/// </summary>
public sealed record StoreRequest(
    string? Name, string? TimeZone, List<ZoneRequest?>? Zones, ProximitySettings? Proximity, ContactSettings? ContactPolicy = null, string? Identity = null,
    int? RotationPeriodSeconds = null, double? GlobalControlShare = null);

public sealed record ZoneRequest(string? Id, string? Name, string? Kind, string? Category, List<string?>? Neighbors, ZoneShapeDto? Shape = null);

/// <summary><c>position</c>: where the gateway hangs, metres in the store's own frame (optional).</summary>
public sealed record GatewayRequest(string? GatewayId, string? ZoneId, double? RssiOffset, PositionDto? Position = null);

public sealed record BrandRequest(string? BrandId, string? Name);

public sealed record RedemptionRequest(string? Code);

public sealed record DiscountDto(string? Kind, decimal? Value);

public sealed record BudgetDto(long? MaxCoupons);

public sealed record OfferRequest(
    string? StoreId,
    List<string?>? ZoneIds,
    string? Title,
    string? Description,
    DiscountDto? Discount,
    int? MinDwellSeconds,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidTo,
    int? MaxPerShopper,
    BudgetDto? Budget,
    int? CouponTtlMinutes,
    string? Category = null,
    string? Trigger = null,
    ScheduleDto? Schedule = null,
    AudienceDto? Audience = null,
    double? Priority = null,
    double? HoldoutShare = null,
    CapsDto? Caps = null,
    string? Presence = null);

/// <summary>An offer's own contact limits, on top of the store's.</summary>
public sealed record CapsDto(int? MaxCouponsToday, double? MinGapMinutes, double? QuietAfterDismissalMinutes);

/// <summary>Days ("monday".."sunday") and a daily local-time window ("HH:mm"; may run over midnight).</summary>
public sealed record ScheduleDto(List<string?>? Days, string? From, string? To);

public sealed record AudienceDto(List<string?>? Segments, List<string?>? LoyaltyTiers, int? MinVisits, int? MaxVisits, string? Visitors, bool? RequiresInterest);

public sealed record ConsentDto(bool? Proximity, bool? Offers);

public sealed record EnrolRequest(string? StoreId, ConsentDto? Consent, JsonElement? Preferences);

// Responses.

public sealed record ZoneResponse(string Id, string Name, string? Kind, string? Category, IReadOnlyList<string> Neighbors, ZoneShapeDto? Shape = null);

public sealed record GatewayResponse(string GatewayId, string ZoneId, double RssiOffset, PositionDto? Position = null);

public sealed record StoreResponse(
    string StoreId,
    string Name,
    string TimeZone,
    IReadOnlyList<ZoneResponse> Zones,
    IReadOnlyList<GatewayResponse> Gateways,
    string BeaconUuid,
    ProximitySettings Proximity,
    ContactSettings ContactPolicy,
    ActiveCalibrationResponse? Calibration = null,
    string Identity = StoreIdentity.Static,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BeaconRegionUuid = null,
    int RotationPeriodSeconds = StoreIdentity.DefaultRotationPeriodSeconds,
    double GlobalControlShare = 0);

public sealed record GatewayKeyResponse(string GatewayId, string Key);

public sealed record TillRequest(string? TillId);

public sealed record TillKeyResponse(string StoreId, string TillId, string Key);

public sealed record BrandKeyResponse(string BrandId, string Key);

/// <summary><c>presence</c> (zone stays): "gateway" when a gateway of the zone heard the shopper, "phone" when only their phone's beacon reports placed them.</summary>
public sealed record TrailTransition(
    string? ZoneId,
    DateTimeOffset EnteredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ExitedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Presence = null);

public sealed record TrailResponse(string ShopperId, IReadOnlyList<TrailTransition> Transitions);

public sealed record RedemptionResponse(string CouponId, string OfferId, string ShopperId);

public sealed record DiscountResponse(string Kind, decimal Value);

public sealed record BudgetResponse(long MaxCoupons);

public sealed record OfferResponse(
    string OfferId,
    string BrandId,
    string StoreId,
    IReadOnlyList<string> ZoneIds,
    string Title,
    string? Description,
    DiscountResponse Discount,
    int MinDwellSeconds,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidTo,
    int MaxPerShopper,
    BudgetResponse? Budget,
    int CouponTtlMinutes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Category,
    string Trigger,
    ScheduleDto? Schedule,
    AudienceDto Audience,
    double Priority,
    double HoldoutShare,
    CapsDto? Caps,
    string Presence = "any");

public sealed record OfferListResponse(IReadOnlyList<OfferResponse> Offers);

/// <summary>The brand a key belongs to, for a console to say who is signed in.</summary>
public sealed record BrandResponse(string BrandId, string Name);

public sealed record ExplainedCandidate(string OfferId, string Outcome, double? Score, double? RedemptionChance);

public sealed record ExplanationResponse(string ShopperId, string ZoneId, string Trigger, double DwellSeconds, DateTimeOffset At, string Decision, string? OfferId, string? BlockedBy, IReadOnlyList<ExplainedCandidate> Candidates);

public sealed record AdvertisementResponse(string Uuid, int Major, int Minor);

/// <summary><c>rotation</c>: only in a rotating store; its secret is shown once (docs/rotating-identities.md).</summary>
public sealed record EnrolResponse(string ShopperId, string Token, AdvertisementResponse Advertisement, RotationResponse? Rotation = null);

/// <summary>
/// What the app needs to derive its identity each period: the secret (hex, shown once), the period's length, the scheme's
/// name, and how many periods either side of the server's clock still count.
/// </summary>
public sealed record RotationResponse(string Secret, int PeriodSeconds, string Scheme, int TolerancePeriods);

/// <summary>The identity to broadcast at a moment; <c>validUntil</c> is null for a static identity.</summary>
public sealed record TimedAdvertisementResponse(string Uuid, int Major, int Minor, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil);

/// <summary><c>beaconRegion</c>: the store beacons' region the app monitors, when the store has beacons.</summary>
public sealed record ShopperResponse(
    string ShopperId,
    string StoreId,
    ConsentDto Consent,
    JsonElement? Preferences,
    AdvertisementResponse Advertisement,
    DateTimeOffset EnrolledAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BeaconRegionResponse? BeaconRegion = null);

public sealed record CouponResponse(
    string CouponId,
    string OfferId,
    string BrandId,
    string Title,
    string? Description,
    DiscountResponse Discount,
    string ZoneId,
    string Code,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string Status);

public sealed record WalletResponse(string ShopperId, IReadOnlyList<CouponResponse> Coupons);

public sealed record RejectedSighting(int Index, string Error);

/// <summary><c>dropped</c>: valid sightings of identities no consenting shopper holds (other beacons, strangers' phones).</summary>
public sealed record SightingsResponse(int Accepted, int Dropped, IReadOnlyList<RejectedSighting> Rejected);
