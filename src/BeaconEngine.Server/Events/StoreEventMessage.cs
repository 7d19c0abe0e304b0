using System.Text.Json;
using System.Text.Json.Serialization;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Hosting;

namespace BeaconEngine.Server.Events;

/// <summary>
/// One event as the stream, the page and the webhook show it: <c>offset</c>, <c>storeId</c>, <c>type</c>, <c>at</c>,
/// the shopper's pseudonym, the fields of its type (absent ones are left out), and <c>id</c>, the same on a resend.
/// </summary>
public sealed record StoreEventMessage(
    long Offset,
    string StoreId,
    string Type,
    DateTimeOffset At,
    string? Shopper,
    string? OfferId,
    string? BrandId,
    string? ZoneId,
    string? CouponId,
    DateTimeOffset? ExpiresAt,
    string? PurchaseId,
    decimal? Total,
    IReadOnlyDictionary<string, decimal>? SpendByBrand,
    IReadOnlyList<PurchaseAttribution>? CountedFor,
    string? Id)
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public static StoreEventMessage From(string storeId, StoreEvent e) => new(
        e.Offset, storeId, e.Type, e.At, e.Shopper, e.OfferId, e.BrandId, e.ZoneId, e.CouponId, e.ExpiresAt, e.PurchaseId, e.Total,
        e.SpendByBrand,
        e.CountedFor is { } counted ? [.. counted.Select(c => new PurchaseAttribution(c.Key, c.Value))] : null,
        e.Id);

    /// <summary>The event as one line of JSON (UTF-8, no line break).</summary>
    public static byte[] Utf8(string storeId, StoreEvent e) => JsonSerializer.SerializeToUtf8Bytes(From(storeId, e), Json);

    public static byte[] Utf8<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions();
        ApiHostingExtensions.ConfigureJson(json);
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return json;
    }
}

/// <summary>A page of events (with <c>Accept: application/json</c>). <c>nextAfter</c> is the <c>after</c> of the next request.</summary>
public sealed record StoreEventsResponse(string StoreId, long FirstOffset, long LastOffset, long NextAfter, IReadOnlyList<StoreEventMessage> Events);

/// <summary><c>url</c>: http or https. <c>secret</c>: left out, the server makes one. <c>after</c>: the offset to deliver after.</summary>
public sealed record StoreWebhookRequest(string? Url, string? Secret, long? After);

/// <summary>A store's webhook. <c>secret</c> is only in the answer to <c>PUT</c>.</summary>
public sealed record StoreWebhookResponse(
    string StoreId,
    Uri Url,
    string? Secret,
    long AcknowledgedOffset,
    int FailedAttempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastDeliveredAt)
{
    public static StoreWebhookResponse From(string storeId, StoreWebhookStatus s, string? secret = null) =>
        new(storeId, s.Url, secret, s.AcknowledgedOffset, s.FailedAttempts, s.LastError, s.NextAttemptAt, s.LastDeliveredAt);
}
