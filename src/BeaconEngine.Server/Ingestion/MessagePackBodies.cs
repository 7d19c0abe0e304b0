using System.Text.Json;
using BeaconEngine.Server.Api;
using MessagePack;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Gateways on thin links may send the native batch as MessagePack: the same map as the JSON body (camelCase
/// keys, <c>ts</c> as Unix milliseconds or a string). It is turned into JSON and takes the JSON path, so both read
/// exactly alike.
/// </summary>
public static class MessagePackBodies
{
    private static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData.WithMaximumObjectGraphDepth(16));

    public static bool Accepts(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/x-msgpack", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/msgpack", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/vnd.msgpack", StringComparison.OrdinalIgnoreCase));

    public static JsonDocument ToJson(ReadOnlyMemory<byte> body, JsonDocumentOptions options)
    {
        string json;
        try
        {
            json = MessagePackSerializer.ConvertToJson(body, Options);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or InsufficientExecutionStackException or ArgumentException or InvalidOperationException or EndOfStreamException)
        {
            throw Problems.BadRequest($"The request body is not valid MessagePack: {ex.Message}");
        }

        return JsonDocument.Parse(json, options);
    }
}
