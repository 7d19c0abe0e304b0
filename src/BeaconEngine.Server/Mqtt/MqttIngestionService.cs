using System.Buffers;
using System.Text.Json;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Uplinks;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Ingestion;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace BeaconEngine.Server.Mqtt;

/// <summary>
/// Subscribes to the broker and feeds every message through the same path as HTTP (<see cref="BatchIngestor"/>):
/// the same checks, consent drop, per-item rejection and batch ids. Messages are handled one at a time in the order
/// the broker delivers them and acknowledged (QoS 1) only once handled, so a server that stops mid-message gets it
/// again. A bad message is counted and logged, never thrown: it cannot stop the subscriber.
/// </summary>
public sealed partial class MqttIngestionService(
    IOptions<MqttIngestionOptions> options,
    MqttMessageHandler handler,
    IngestionMetrics metrics,
    ILogger<MqttIngestionService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var backoff = TimeSpan.FromMilliseconds(250);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e => handler.HandleAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
        while (!stoppingToken.IsCancellationRequested)
        {
            var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task OnDisconnected(MqttClientDisconnectedEventArgs e)
            {
                disconnected.TrySetResult();
                return Task.CompletedTask;
            }

            client.DisconnectedAsync += OnDisconnected;
            try
            {
                var connect = MqttConnection.Parse(settings.ConnectionString!)
                    .WithClientId(settings.ClientId)
                    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                    .WithCleanStart(false)
                    .WithSessionExpiryInterval((uint)settings.SessionExpiry.TotalSeconds)
                    .WithTimeout(TimeSpan.FromSeconds(10))
                    .Build();
                var connected = await client.ConnectAsync(connect, stoppingToken);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"the broker refused the server's connection: {connected.ResultCode} {connected.ReasonString}");
                }

                if (!connected.IsSessionPresent)
                {
                    var subscribe = new MqttClientSubscribeOptionsBuilder();
                    foreach (var filter in settings.TopicFilters())
                    {
                        subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
                    }

                    await client.SubscribeAsync(subscribe.Build(), stoppingToken);
                }

                metrics.MqttConnection(true);
                LogConnected(logger, settings.Topics);
                backoff = TimeSpan.FromMilliseconds(250);
                await disconnected.Task.WaitAsync(stoppingToken);
                LogDisconnected(logger);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogConnectFailed(logger, ex, backoff);
            }
            finally
            {
                client.DisconnectedAsync -= OnDisconnected;
                metrics.MqttConnection(false);
            }

            try
            {
                await Task.Delay(backoff * (0.5 + Random.Shared.NextDouble()), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT ingestion subscribed to {Topics}")]
    private static partial void LogConnected(ILogger logger, string topics);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker connection lost; reconnecting")]
    private static partial void LogDisconnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker unreachable or refused the connection; trying again in about {Backoff}")]
    private static partial void LogConnectFailed(ILogger logger, Exception ex, TimeSpan backoff);
}

/// <summary>One MQTT message to the ingestion path: which format, which gateway, and what came of it.</summary>
public sealed partial class MqttMessageHandler(
    IOptions<MqttIngestionOptions> options,
    BatchIngestor batches,
    IStoreDirectory stores,
    IngestionMetrics metrics,
    TimeProvider time,
    ILogger<MqttMessageHandler> logger)
{
    public const string NativeBase = "beaconengine";
    private const int MaxPayloadBytes = 1024 * 1024;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public async Task HandleAsync(string topic, ReadOnlySequence<byte> payload)
    {
        metrics.MqttMessage();
        try
        {
            if (payload.Length > MaxPayloadBytes)
            {
                Bad(topic, "payload over 1 MiB");
                return;
            }

            var bytes = payload.IsSingleSegment ? payload.First : payload.ToArray();
            var segments = topic.Split('/');
            if (segments.Length == 4 && segments[0] == NativeBase)
            {
                await HandleNativeAsync(topic, segments[1], segments[2], segments[3], bytes);
            }
            else if (segments.Length > 0 && segments[0] == "espresense")
            {
                await HandleVendorAsync(topic, segments[^1], EspresenseDecoder.Decode(topic, bytes));
            }
            else if (Array.IndexOf(segments, "BTtoMQTT") is > 0 and var ble)
            {
                await HandleVendorAsync(topic, segments[ble - 1], OpenMqttGatewayDecoder.Decode(topic, bytes));
            }
            else
            {
                Bad(topic, "a topic of no known format");
            }
        }
        catch (ApiProblemException problem)
        {
            Bad(topic, problem.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Counted and logged; the message is acknowledged all the same, so one poison message cannot block the rest.
            metrics.MqttBadMessage("error");
            LogFailed(logger, ex, topic);
        }
    }

    private async Task HandleNativeAsync(string topic, string storeId, string gatewayId, string kind, ReadOnlyMemory<byte> bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException ex)
        {
            Bad(topic, $"the payload is not valid JSON: {ex.Message}");
            return;
        }

        using (document)
        {
            var body = document.RootElement;
            switch (kind)
            {
                case "sightings":
                    var batchId = BatchIds.Read(null, body);
                    var outcome = await batches.IngestAsync(storeId, gatewayId, batchId, body, waitForRoom: true);
                    Report(topic, outcome);
                    break;
                case "heartbeat":
                    if ((await stores.GetAsync(storeId))?.Gateways.ContainsKey(gatewayId) != true)
                    {
                        Bad(topic, $"gateway '{Validate.Truncate(gatewayId)}' is not registered in store '{Validate.Truncate(storeId)}'");
                        return;
                    }

                    await batches.RecordHeartbeatAsync(storeId, gatewayId, ReadHeartbeat(body));
                    break;
                default:
                    Bad(topic, $"'{Validate.Truncate(kind)}' is not a message kind (sightings or heartbeat)");
                    break;
            }
        }
    }

    private async Task HandleVendorAsync(string topic, string vendorName, UplinkDecodeResult decoded)
    {
        if (!TryMap(vendorName, out var storeId, out var gatewayId))
        {
            Bad(topic, $"gateway '{Validate.Truncate(vendorName)}' is not mapped to a registered gateway (BeaconEngine:Mqtt:Gateways)");
            return;
        }

        Report(topic, await batches.IngestAsync(storeId, gatewayId, null, decoded, waitForRoom: true));
    }

    private bool TryMap(string vendorName, out string storeId, out string gatewayId)
    {
        var settings = options.Value;
        if (settings.Gateways.TryGetValue(vendorName, out var mapped) && mapped.Split('/') is [var s, var g] && s.Length > 0 && g.Length > 0)
        {
            (storeId, gatewayId) = (s, g);
            return true;
        }

        (storeId, gatewayId) = (settings.DefaultStoreId ?? "", vendorName);
        return !string.IsNullOrEmpty(settings.DefaultStoreId);
    }

    private GatewayHeartbeat ReadHeartbeat(JsonElement body)
    {
        var now = time.GetUtcNow();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("sentAt", out var sent) || !UtcTimeConverter.TryRead(sent, out var sentAt, out _))
        {
            throw Problems.BadRequest("a heartbeat needs 'sentAt' (ISO-8601 or Unix ms)");
        }

        long Number(string name) => body.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && v >= 0 ? v : 0;
        var uptime = body.TryGetProperty("uptimeSeconds", out var u) && u.ValueKind == JsonValueKind.Number ? Math.Max(0, u.GetDouble()) : 0;
        var version = body.TryGetProperty("agentVersion", out var a) && a.ValueKind == JsonValueKind.String ? Validate.Truncate(a.GetString()!) : null;
        return new GatewayHeartbeat(sentAt, now, Number("queueDepth"), Number("queueBytes"), Number("dropped"), Number("heard"), uptime, version);
    }

    private void Report(string topic, BatchOutcome outcome)
    {
        if (outcome.Response.Rejected.Count > 0)
        {
            var first = outcome.Response.Rejected[0];
            LogItemsRejected(logger, topic, outcome.Response.Rejected.Count, first.Index, first.Error);
        }
    }

    private void Bad(string topic, string reason)
    {
        metrics.MqttBadMessage(reason.StartsWith("gateway", StringComparison.Ordinal) ? "unmapped" : "unreadable");
        LogBad(logger, Validate.Truncate(topic), reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT message on {Topic} ignored: {Reason}")]
    private static partial void LogBad(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT message on {Topic}: {Count} item(s) rejected, first #{Index}: {Error}")]
    private static partial void LogItemsRejected(ILogger logger, string topic, int count, int index, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT message on {Topic} could not be processed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string topic);
}
