using System.Text.Json;

namespace BeaconEngine.Server.Api;

// Purchases from the till.

public sealed record PurchaseLineRequest(string? Brand, string? Category, decimal? Amount);

/// <summary>
/// The shopper is named by a coupon <c>code</c> of theirs or by their <c>loyaltyId</c> (one of the two).
/// <c>purchaseId</c> (or the <c>Idempotency-Key</c> header): the till's id of the basket, so a retry is answered and not counted again.
/// </summary>
public sealed record PurchaseRequest(string? Code, string? LoyaltyId, DateTimeOffset? At, List<PurchaseLineRequest?>? Lines, string? PurchaseId = null);

/// <summary><c>group</c>: "treated" (the shopper was sent the offer) or "control" (held out).</summary>
public sealed record PurchaseAttribution(string OfferId, string Group);

public sealed record PurchaseResponse(string PurchaseId, string ShopperId, DateTimeOffset At, decimal Total, IReadOnlyList<PurchaseAttribution> CountedFor);

// Offer results.

public sealed record EventCounts(long Triggered, long HeldOut, long Issued, long Opened, long Dismissed, long NotRelevant, long Redeemed, long Expired);

/// <summary>One zone's event counts. For a brand, a count from 1 to 4 is null and named in <paramref name="Suppressed"/>.</summary>
public sealed record ZoneResults(string ZoneId, long? Triggered, long? HeldOut, long? Issued, long? Opened, long? Dismissed, long? NotRelevant, long? Redeemed, long? Expired, string[] Suppressed);

/// <summary>One hour's event counts. For a brand, a count from 1 to 4 is null and named in <paramref name="Suppressed"/>.</summary>
public sealed record HourResults(DateTimeOffset Hour, long? Triggered, long? HeldOut, long? Issued, long? Opened, long? Dismissed, long? NotRelevant, long? Redeemed, long? Expired, string[] Suppressed);

/// <summary>One group's purchase rate with its Wilson 95 % interval; null for a brand when it would reveal fewer than 5 shoppers or buyers.</summary>
public sealed record GroupRate(long? Shoppers, long? Buyers, double? Rate, double? Low, double? High);

/// <summary>
/// Incremental lift: the purchase rate of the brand's products among shoppers sent the offer minus that of
/// its control group, with Newcombe's 95 % interval (<c>low</c>, <c>high</c>, <c>significant</c>: right for one
/// look at a size fixed in advance) and the anytime-valid 95 % interval (<c>anytimeLow</c>, <c>anytimeHigh</c>,
/// <c>significantAnytime</c>: right however often it is read), which the verdict uses. For a brand, while a
/// group has from 1 to 4 shoppers or buyers, the figures are null and named in <c>suppressed</c>.
/// </summary>
public sealed record LiftResponse(
    string Metric,
    double Confidence,
    GroupRate Treated,
    GroupRate Control,
    double? Difference,
    double? Low,
    double? High,
    double? Relative,
    bool? Significant,
    bool EnoughData,
    long MinimumGroup,
    string Verdict,
    double? AnytimeLow,
    double? AnytimeHigh,
    bool? SignificantAnytime,
    string[] Suppressed);

/// <summary>
/// Incremental spend on the brand's lines per shopper: the treated group's mean minus the control group's,
/// with Welch's 95 % interval (<c>low</c>, <c>high</c>) and the anytime-valid one (<c>anytimeLow</c>,
/// <c>anytimeHigh</c>), which the verdict uses. Bounds are null while a group has fewer than two shoppers;
/// for a brand, every figure that reads a group of 1 to 4 shoppers is null and named in <c>suppressed</c>.
/// </summary>
public sealed record RevenueLiftResponse(
    string Metric,
    long? TreatedShoppers,
    long? ControlShoppers,
    double? TreatedPerShopper,
    double? ControlPerShopper,
    double? Difference,
    double? Low,
    double? High,
    double? AnytimeLow,
    double? AnytimeHigh,
    bool? SignificantAnytime,
    double? IncrementalRevenue,
    double DiscountCost,
    string Verdict,
    string[] Suppressed);

/// <summary>
/// The contract's stats fields first, unchanged and exact (the offer's own totals); then the results added by
/// this server. <c>audience</c> is "brand" or "operator"; for a brand, <c>minimumShoppers</c> is 5 and a zone,
/// hour or group count from 1 to 4 is null, named in its object's <c>suppressed</c> (<c>heldOut</c>, the
/// control group's size, in the top-level one).
/// </summary>
public sealed record OfferResultsResponse(
    string OfferId,
    long Issued,
    long Delivered,
    long Dismissed,
    long Redeemed,
    long? RemainingBudget,
    long? HeldOut,
    long? Triggered,
    long Opened,
    long NotRelevant,
    long Expired,
    IReadOnlyList<ZoneResults> ByZone,
    IReadOnlyList<HourResults> ByHour,
    LiftResponse Lift,
    bool Retired,
    RevenueLiftResponse RevenueLift,
    double? ReturnOnSpend,
    string Audience,
    int? MinimumShoppers,
    string[] Suppressed);

// Shopper self-service.

public sealed record QuietHoursDto(string? From, string? To);

public sealed record ChannelRequest(string? Kind, string? PushToken);

public sealed record ChannelResponse(string Kind, string? PushToken);

public sealed record LoyaltyRequest(string? LoyaltyId);

public sealed record LoyaltyResponse(string? LoyaltyId);

/// <summary>The shopper's preferences as the rules read them, and the app's object as given.</summary>
public sealed record PreferencesResponse(
    IReadOnlyList<string> Needs,
    string? LoyaltyTier,
    IReadOnlyList<string> Interests,
    IReadOnlyList<string> NeverOffer,
    QuietHoursDto? QuietHours,
    JsonElement? Raw);

// The store for its brands and operator.

public sealed record FloorPlanResponse(string StoreId, string Name, string TimeZone, IReadOnlyList<ZoneResponse> Zones);

public sealed record ZoneLive(string ZoneId, string Name, int Shoppers);

/// <summary><c>status</c>: "online" (heard within the last minute), "silent" or "never".</summary>
public sealed record GatewayLive(string GatewayId, string ZoneId, DateTimeOffset? LastSeenAt, string Status, double SightingsPerSecond);

public sealed record MinuteCount(DateTimeOffset Minute, int Coupons);

public sealed record StoreLiveResponse(string StoreId, DateTimeOffset At, IReadOnlyList<ZoneLive> Zones, IReadOnlyList<GatewayLive> Gateways, IReadOnlyList<MinuteCount> CouponsPerMinute);
