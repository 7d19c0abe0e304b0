using System.Globalization;
using System.Net.Http.Headers;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Grains.Events;
using BeaconEngine.Server.Push;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Events;

/// <summary>
/// Posts a batch of a store's events: <c>{ "storeId", "events": [...] }</c>, signed as the push webhook is
/// (<c>X-BeaconEngine-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>), with the batch's
/// first and last offsets in <c>X-BeaconEngine-Offsets</c>.
/// </summary>
public sealed class StoreWebhookSender(IHttpClientFactory clients, IOptions<StoreEventOptions> options, TimeProvider time) : IStoreWebhookSender
{
    public const string ClientName = "store-webhook";
    public const string OffsetsHeader = "X-BeaconEngine-Offsets";

    public async Task<string?> SendAsync(string storeId, Uri url, string secret, IReadOnlyList<StoreEvent> events, CancellationToken cancellation)
    {
        var body = StoreEventMessage.Utf8(new { storeId, events = events.Select(e => StoreEventMessage.From(storeId, e)) });
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookDispatcher.SignatureHeader, WebhookDispatcher.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add(OffsetsHeader, string.Create(CultureInfo.InvariantCulture, $"{events[0].Offset}-{events[^1].Offset}"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.Value.Webhook.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return $"no answer within {options.Value.Webhook.Timeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }
}
