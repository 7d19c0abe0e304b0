using System.Net;
using System.Net.Http.Headers;
using BeaconEngine.Gateway.Batching;
using BeaconEngine.Gateway.Queue;

namespace BeaconEngine.Gateway.Uplinks;

/// <summary>
/// <c>POST /api/v1/sightings</c> with the gateway's key and the batch id as <c>Idempotency-Key</c>, so a batch sent again
/// after a lost answer is not counted twice; heartbeats to <c>POST /api/v1/heartbeats</c>.
/// </summary>
public sealed partial class HttpUplink : IUplink
{
    private readonly HttpClient _client;
    private readonly string _gatewayId;
    private readonly UplinkEncoding _encoding;
    private readonly ILogger _logger;

    public HttpUplink(string gatewayId, UplinkOptions options, ILogger<HttpUplink> logger)
    {
        _gatewayId = gatewayId;
        _encoding = options.Encoding;
        _logger = logger;
        _client = new HttpClient { BaseAddress = new Uri(options.Url.TrimEnd('/') + "/"), Timeout = options.Timeout };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
    }

    public async Task<SendResult> SendAsync(QueuedBatch batch, CancellationToken cancellationToken)
    {
        var body = _encoding == UplinkEncoding.MessagePack ? BatchEncoder.ToMessagePack(batch.Body) : batch.Body;
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(_encoding == UplinkEncoding.MessagePack ? "application/x-msgpack" : "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/sightings") { Content = content };
        request.Headers.Add("Idempotency-Key", batch.BatchId);
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return SendResult.Delivered;
            }

            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            LogRefused(_logger, batch.BatchId, status, detail.Length > 300 ? detail[..300] : detail);

            // A malformed batch stays malformed; anything else (a key being fixed, a server in trouble) may pass later.
            return response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity
                ? SendResult.Refused
                : SendResult.Retry;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(_logger, batch.BatchId, ex.Message);
            return SendResult.Retry;
        }
    }

    public async Task<bool> SendHeartbeatAsync(AgentHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(HeartbeatJson.Encode(_gatewayId, heartbeat));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await _client.PostAsync("api/v1/heartbeats", content, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId} answered {Status}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string batchId, int status, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} not sent, the engine is unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string batchId, string reason);
}
