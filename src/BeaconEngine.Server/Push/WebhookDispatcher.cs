using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains;
using BeaconEngine.Server.Hosting;
using BeaconEngine.Server.Hubs;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Push;

/// <summary>
/// Posts coupons to the retailer's push service, off the coupon's path: a queue, then each delivery
/// retried with exponential backoff until a 2xx. Every request carries
/// <c>X-BeaconEngine-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c> and a
/// <c>X-BeaconEngine-Delivery</c> id that stays the same across retries, so the receiver can check the
/// sender, refuse replays and drop duplicates.
/// </summary>
public sealed partial class WebhookDispatcher(
    IOptions<PushOptions> options,
    IHttpClientFactory clients,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string SignatureHeader = "X-BeaconEngine-Signature";
    public const string DeliveryHeader = "X-BeaconEngine-Delivery";
    public const string ClientName = "push-webhook";

    private readonly Channel<PushDelivery> _queue = Channel.CreateBounded<PushDelivery>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly SemaphoreSlim _inFlight = new(16);
    private JsonSerializerOptions? _json;

    public bool Enabled => options.Value.WebhookUrl is not null && !string.IsNullOrEmpty(options.Value.Secret);

    public void Enqueue(string shopperId, string? pushToken, Coupon coupon)
    {
        if (Enabled)
        {
            _queue.Writer.TryWrite(new PushDelivery(Ids.New("dlv"), shopperId, pushToken, CouponMessage.From(coupon)));
        }
    }

    /// <summary>The signature header's value for a body sent at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await _inFlight.WaitAsync(stoppingToken);
            _ = Task.Run(async () =>
            {
                try
                {
                    await DeliverAsync(delivery, stoppingToken);
                }
                finally
                {
                    _inFlight.Release();
                }
            }, CancellationToken.None);
        }
    }

    private async Task DeliverAsync(PushDelivery delivery, CancellationToken cancellation)
    {
        var o = options.Value;
        _json ??= CreateJson();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { deliveryId = delivery.DeliveryId, shopperId = delivery.ShopperId, pushToken = delivery.PushToken, coupon = delivery.Coupon }, _json);
        var delay = o.FirstRetryDelay;
        for (var attempt = 1; attempt <= o.MaxAttempts; attempt++)
        {
            string? failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, o.WebhookUrl) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(SignatureHeader, Sign(o.Secret!, time.GetUtcNow().ToUnixTimeSeconds(), body));
                request.Headers.Add(DeliveryHeader, delivery.DeliveryId);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(o.Timeout);
                using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellation.IsCancellationRequested)
            {
                failure = ex.Message;
            }

            if (attempt == o.MaxAttempts)
            {
                LogGaveUp(logger, delivery.Coupon.CouponId, attempt, failure);
                return;
            }

            LogRetry(logger, delivery.Coupon.CouponId, attempt, failure, delay);
            var jitter = 1 + (Random.Shared.NextDouble() * 0.2);
            await Task.Delay(delay * jitter, time, cancellation);
            delay *= 2;
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions();
        ApiHostingExtensions.ConfigureJson(json);
        return json;
    }

    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push webhook for coupon {CouponId} failed on attempt {Attempt} ({Failure}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string couponId, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push webhook for coupon {CouponId} gave up after {Attempt} attempts ({Failure}); the coupon stays in the wallet")]
    private static partial void LogGaveUp(ILogger logger, string couponId, int attempt, string failure);

    private sealed record PushDelivery(string DeliveryId, string ShopperId, string? PushToken, CouponMessage Coupon);
}
