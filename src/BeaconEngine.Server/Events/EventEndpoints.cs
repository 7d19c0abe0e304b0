using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Events;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Security;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BeaconEngine.Server.Events;

/// <summary>
/// A store's events for the operator's systems: read by offset (NDJSON, a JSON page, or server-sent events),
/// or pushed to a signed webhook. See docs/events.md.
/// </summary>
public static class EventEndpoints
{
    public const int DefaultLimit = 1_000;
    public const int MaxLimit = 10_000;
    public const int MaxWaitSeconds = 30;
    public const string NdJson = "application/x-ndjson";
    public const string EventStream = "text/event-stream";
    public const string NextAfterHeader = "X-BeaconEngine-Next-After";

    private const int StreamPage = 500;
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId}/events", Events).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("The store's events after an offset: NDJSON, long-poll or server-sent events")
            .WithDescription("Every decision, coupon, feedback, redemption and purchase, in offset order. `after` (default: from the oldest kept), `limit` (1 to 10000, default 1000), `wait` (seconds, 0 to 30: wait for an event when none is past `after`). NDJSON by default; `Accept: application/json` for a page; `Accept: text/event-stream` for server-sent events (id = offset, resumed by `Last-Event-ID`). 410 when `after` is older than the retention keeps.")
            // The JSON page's schema; the NDJSON lines and the server-sent events' data are its `events` items.
            .Produces<StoreEventsResponse>();
        app.MapPut("/api/v1/stores/{storeId}/webhook", PutWebhook).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("Register the store's signed events webhook")
            .WithDescription("`{ \"url\", \"secret\"?, \"after\"? }`. The server posts the store's events in order, signed with HMAC-SHA256, retried with backoff until a 2xx. Without a secret the server makes one; the answer shows it once.")
            .Produces<StoreWebhookResponse>();
        app.MapGet("/api/v1/stores/{storeId}/webhook", GetWebhook).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("The store's events webhook and its delivery")
            .WithDescription("The URL, the offset acknowledged so far, failures in a row, the last error and the next attempt. 404 when the store has none.")
            .Produces<StoreWebhookResponse>();
        app.MapDelete("/api/v1/stores/{storeId}/webhook", DeleteWebhook).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("Remove the store's events webhook")
            .WithDescription("Delivery stops. 404 when the store has none.")
            .Produces(StatusCodes.Status204NoContent);
        return app;
    }

    private static async Task Events(string storeId, string? after, string? limit, string? wait, HttpContext http, IGrainFactory grains, IHostApplicationLifetime lifetime)
    {
        var id = await ExistingStoreAsync(storeId, grains);
        var request = http.Request;
        var field = "after";
        long? from = ParseOffset(after, field);
        if (request.Headers.TryGetValue("Last-Event-ID", out var lastEventId) && !string.IsNullOrEmpty(lastEventId))
        {
            // A reconnecting EventSource repeats its URL and says where it got to: that wins.
            field = "Last-Event-ID";
            from = ParseOffset(lastEventId.ToString(), field);
        }

        var max = ParseWhole(limit, "limit", 1, MaxLimit) ?? DefaultLimit;
        var waitFor = TimeSpan.FromSeconds(ParseWhole(wait, "wait", 0, MaxWaitSeconds) ?? 0);
        var log = grains.GetGrain<IStoreEventsGrain>(id);
        var page = await log.Read(from, max);
        Check(page, from, field);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var accept = request.Headers.Accept.ToString();
        if (accept.Contains(EventStream, StringComparison.OrdinalIgnoreCase))
        {
            await StreamAsync(http, id, log, page, from ?? page.FirstOffset - 1, stop.Token);
            return;
        }

        var cursor = from ?? page.FirstOffset - 1;
        if (page.Events.Length == 0 && waitFor > TimeSpan.Zero)
        {
            // Long-poll: answer as soon as something is stored past the cursor, or empty at the deadline.
            if (await WaitAsync(log, cursor, waitFor, stop.Token) > cursor)
            {
                page = await log.Read(cursor, max);
                Check(page, cursor, field);
            }
        }

        var next = page.Events.Length > 0 ? page.Events[^1].Offset : cursor;
        http.Response.Headers[NextAfterHeader] = next.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        if (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains(NdJson, StringComparison.OrdinalIgnoreCase))
        {
            // Written as the lines are, fields without a value left out.
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.Body.WriteAsync(StoreEventMessage.Utf8(new StoreEventsResponse(id, page.FirstOffset, page.LastOffset, next, [.. page.Events.Select(e => StoreEventMessage.From(id, e))])), stop.Token);
            return;
        }

        http.Response.ContentType = NdJson;
        var body = http.Response.Body;
        foreach (var e in page.Events)
        {
            await body.WriteAsync(StoreEventMessage.Utf8(id, e), stop.Token);
            await body.WriteAsync("\n"u8.ToArray(), stop.Token);
        }
    }

    /// <summary>Server-sent events until the client goes: each event with its offset as id; a comment every 15 s keeps proxies from closing.</summary>
    private static async Task StreamAsync(HttpContext http, string storeId, IStoreEventsGrain log, StoreEventPage page, long cursor, CancellationToken stop)
    {
        var response = http.Response;
        response.ContentType = EventStream;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var body = response.Body;
        await body.WriteAsync("retry: 2000\n\n"u8.ToArray(), stop);
        await body.FlushAsync(stop);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var e in page.Events)
                {
                    var frame = string.Create(CultureInfo.InvariantCulture, $"id: {e.Offset}\nevent: {e.Type}\ndata: ");
                    await body.WriteAsync(Encoding.UTF8.GetBytes(frame), stop);
                    await body.WriteAsync(StoreEventMessage.Utf8(storeId, e), stop);
                    await body.WriteAsync("\n\n"u8.ToArray(), stop);
                    cursor = e.Offset;
                }

                await body.FlushAsync(stop);
                if (page.Events.Length == 0 && await WaitAsync(log, cursor, KeepAliveEvery, stop) <= cursor)
                {
                    await body.WriteAsync(": keep-alive\n\n"u8.ToArray(), stop);
                    await body.FlushAsync(stop);
                }

                page = await log.Read(cursor, StreamPage);
                if (page.Gone)
                {
                    // Too slow a reader: retention removed what it had yet to read. It is told, and the stream ends.
                    var gone = string.Create(CultureInfo.InvariantCulture, $"event: gone\ndata: {{\"firstOffset\":{page.FirstOffset}}}\n\n");
                    await body.WriteAsync(Encoding.UTF8.GetBytes(gone), stop);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client left, or the server is stopping: the client resumes with Last-Event-ID.
        }
    }

    private static async Task<long> WaitAsync(IStoreEventsGrain log, long cursor, TimeSpan timeout, CancellationToken stop)
    {
        try
        {
            return await log.WaitBeyond(cursor, timeout).WaitAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return cursor;
        }
    }

    private static void Check(StoreEventPage page, long? from, string field)
    {
        if (page.Gone)
        {
            throw Problems.Gone($"'{field}' is {from}, but events up to {page.FirstOffset - 1} are no longer kept (the retention removed them). The oldest kept is {page.FirstOffset}: read from there with after={page.FirstOffset - 1}, knowing the events between were missed.");
        }

        if (from > page.LastOffset)
        {
            throw Problems.BadRequest($"'{field}' is {from}, but the store's newest event is {page.LastOffset}. Pass an offset this stream gave you, or leave it out to read from the oldest kept.");
        }
    }

    private static async Task<IResult> PutWebhook(string storeId, StoreWebhookRequest body, IGrainFactory grains, IOptions<StoreEventOptions> options)
    {
        var id = await ExistingStoreAsync(storeId, grains);
        var url = WebhookUrl(body.Url, options.Value.Webhook.AllowInternalTargets);
        var secret = body.Secret is null ? NewSecret() : WebhookSecret(body.Secret);
        if (body.After is { } after)
        {
            var page = await grains.GetGrain<IStoreEventsGrain>(id).Read(null, 0);
            if (after < page.FirstOffset - 1 || after > page.LastOffset)
            {
                throw Problems.BadRequest($"'after' is {after}, but the store keeps events {page.FirstOffset} to {page.LastOffset}: give an offset from {page.FirstOffset - 1} to {page.LastOffset}, or leave it out to start after the newest.");
            }
        }

        var status = await grains.GetGrain<IStoreWebhookGrain>(id).Put(new StoreWebhookSettings(url, secret, body.After));
        return TypedResults.Ok(StoreWebhookResponse.From(id, status, secret));
    }

    private static async Task<IResult> GetWebhook(string storeId, IGrainFactory grains)
    {
        var id = await ExistingStoreAsync(storeId, grains);
        var status = await grains.GetGrain<IStoreWebhookGrain>(id).Get() ?? throw Problems.NotFound($"Store '{id}' has no events webhook; register one with PUT.");
        return TypedResults.Ok(StoreWebhookResponse.From(id, status));
    }

    private static async Task<IResult> DeleteWebhook(string storeId, IGrainFactory grains)
    {
        var id = await ExistingStoreAsync(storeId, grains);
        return await grains.GetGrain<IStoreWebhookGrain>(id).Delete()
            ? TypedResults.NoContent()
            : throw Problems.NotFound($"Store '{id}' has no events webhook.");
    }

    private static async Task<string> ExistingStoreAsync(string storeId, IGrainFactory grains)
    {
        var id = Validate.RouteId(storeId, "store");
        _ = await grains.GetGrain<IStoreGrain>(id).GetSnapshot() ?? throw Problems.NotFound($"There is no store '{id}'.");
        return id;
    }

    private static Uri WebhookUrl(string? value, bool allowInternal)
    {
        var text = Validate.Text(value, "url", 2_000);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(url.Host))
        {
            throw Problems.BadRequest($"'url' must be an absolute http or https URL (got '{Validate.Truncate(text)}').");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw Problems.BadRequest("'url' must not carry a user name or password: the webhook's requests are signed with its secret instead.");
        }

        if (!allowInternal && (url.IsLoopback || (System.Net.IPAddress.TryParse(url.IdnHost, out var address) && WebhookTargets.IsInternal(address))))
        {
            throw Problems.BadRequest($"'url' points at an internal address ({url.Host}), which this server's webhooks may not reach (BeaconEngine:Events:Webhook:AllowInternalTargets is false).");
        }

        return url;
    }

    private static string WebhookSecret(string value)
    {
        if (value.Length is < 16 or > 256 || value.Any(c => c is <= ' ' or > '~'))
        {
            throw Problems.BadRequest("'secret' must be 16 to 256 visible ASCII characters (no spaces); leave it out and the server makes one.");
        }

        return value;
    }

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static long? ParseOffset(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw Problems.BadRequest($"'{field}' must be an event's offset, a whole number from 0 (got '{Validate.Truncate(value)}'); leave it out to read from the oldest event kept.");
    }

    private static int? ParseWhole(string? value, string field, int min, int max)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Problems.BadRequest($"'{field}' must be a whole number from {min} to {max} (got '{Validate.Truncate(value)}').");
    }
}
