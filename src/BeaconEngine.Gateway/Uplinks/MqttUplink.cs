using BeaconEngine.Gateway.Queue;
using MQTTnet;
using MQTTnet.Protocol;

namespace BeaconEngine.Gateway.Uplinks;

/// <summary>
/// Publishes each batch (native JSON with its <c>batchId</c>) to <c>&lt;base&gt;/&lt;store&gt;/&lt;gateway&gt;/sightings</c> at QoS 1:
/// delivered once the broker acknowledges it. The broker's user is the gateway's identity, so the broker's ACL must
/// let this user write only its own topics. Heartbeats go to <c>.../heartbeat</c> at QoS 0.
/// </summary>
public sealed partial class MqttUplink : IUplink
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly string _sightingsTopic;
    private readonly string _heartbeatTopic;
    private readonly string _gatewayId;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connecting = new(1, 1);

    public MqttUplink(string storeId, string gatewayId, UplinkOptions options, ILogger<MqttUplink> logger)
    {
        _gatewayId = gatewayId;
        _logger = logger;
        _sightingsTopic = $"{options.TopicBase}/{storeId}/{gatewayId}/sightings";
        _heartbeatTopic = $"{options.TopicBase}/{storeId}/{gatewayId}/heartbeat";
        _options = MqttBroker.Parse(options.Mqtt ?? throw new ArgumentException("Uplink:Mqtt (mqtt://user:password@host:1883) is required with the MQTT uplink."))
            .WithClientId($"beaconengine-gateway-{storeId}-{gatewayId}")

            // MQTT 5, so a publish the broker's ACL refuses comes back as "not authorized" and the batch stays queued;
            // an MQTT 3.1.1 broker acknowledges it all the same and drops it.
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(options.Timeout)
            .Build();
    }

    public async Task<SendResult> SendAsync(QueuedBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(cancellationToken);
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(_sightingsTopic)
                .WithPayload(batch.Body)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var result = await _client.PublishAsync(message, cancellationToken);
            if (result.IsSuccess)
            {
                return SendResult.Delivered;
            }

            LogNotAccepted(_logger, batch.BatchId, _sightingsTopic, result.ReasonCode.ToString());
            return SendResult.Retry;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(_logger, batch.BatchId, ex.Message);
            return SendResult.Retry;
        }
    }

    public async Task<bool> SendHeartbeatAsync(AgentHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(cancellationToken);
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(_heartbeatTopic)
                .WithPayload(HeartbeatJson.Encode(_gatewayId, heartbeat))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                .Build();
            return (await _client.PublishAsync(message, cancellationToken)).IsSuccess;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }

        _client.Dispose();
        _connecting.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (!_client.IsConnected)
            {
                var connected = await _client.ConnectAsync(_options, cancellationToken);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"the broker refused this gateway's connection: {connected.ResultCode} {connected.ReasonString}");
                }
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId} not taken by the broker on {Topic}: {Reason}; check this gateway's user and ACL")]
    private static partial void LogNotAccepted(ILogger logger, string batchId, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} not published, the broker is unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string batchId, string reason);
}

/// <summary>Reads <c>mqtt://user:password@host:port</c> (or <c>mqtts://</c>) into MQTTnet client options.</summary>
internal static class MqttBroker
{
    public static MqttClientOptionsBuilder Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts"))
        {
            throw new ArgumentException($"'{connectionString}' is not an MQTT broker address such as mqtt://user:password@broker:1883.");
        }

        var tls = uri.Scheme == "mqtts";
        var builder = new MqttClientOptionsBuilder().WithTcpServer(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port);
        if (tls)
        {
            builder.WithTlsOptions(o => o.UseTls());
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.WithCredentials(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }

        return builder;
    }
}
