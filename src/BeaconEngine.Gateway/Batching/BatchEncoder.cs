using System.Text.Json;
using BeaconEngine.Gateway.Sources;
using MessagePack;

namespace BeaconEngine.Gateway.Batching;

/// <summary>
/// The native batch body (<c>POST /api/v1/sightings</c>): <c>{ "gatewayId", "batchId", "sightings": [ { "ts", "rssi",
/// "ibeacon" | "rawData" } ] }</c>, with <c>ts</c> in Unix milliseconds. Queued as JSON; sent as JSON or MessagePack.
/// </summary>
public static class BatchEncoder
{
    public static byte[] Json(string gatewayId, string batchId, IReadOnlyList<GatewaySighting> sightings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("gatewayId", gatewayId);
            json.WriteString("batchId", batchId);
            json.WriteStartArray("sightings");
            foreach (var s in sightings)
            {
                json.WriteStartObject();
                json.WriteNumber("ts", s.At.ToUnixTimeMilliseconds());
                json.WriteNumber("rssi", s.Rssi);
                if (s.IBeacon is { } id)
                {
                    json.WriteStartObject("ibeacon");
                    json.WriteString("uuid", id.Uuid.ToString("D"));
                    json.WriteNumber("major", id.Major);
                    json.WriteNumber("minor", id.Minor);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteString("rawData", Convert.ToHexString(s.RawData ?? []));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The same map in MessagePack, for thin links (about a third smaller).</summary>
    public static byte[] ToMessagePack(byte[] json) => MessagePackSerializer.ConvertFromJson(System.Text.Encoding.UTF8.GetString(json));
}
