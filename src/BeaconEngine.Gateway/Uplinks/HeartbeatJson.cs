using System.Text.Json;

namespace BeaconEngine.Gateway.Uplinks;

internal static class HeartbeatJson
{
    public static byte[] Encode(string gatewayId, AgentHeartbeat heartbeat)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("gatewayId", gatewayId);
            json.WriteNumber("sentAt", heartbeat.SentAt.ToUnixTimeMilliseconds());
            json.WriteNumber("queueDepth", heartbeat.QueueDepth);
            json.WriteNumber("queueBytes", heartbeat.QueueBytes);
            json.WriteNumber("dropped", heartbeat.Dropped);
            json.WriteNumber("heard", heartbeat.Heard);
            json.WriteNumber("uptimeSeconds", Math.Round(heartbeat.UptimeSeconds, 1));
            json.WriteString("agentVersion", heartbeat.AgentVersion);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
