using BeaconEngine.Server.Api;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Tells a gateway whose body does not match its declared Content-Type which type it declared and what its body
/// looks like, instead of a parse error about the wrong format (JSON read as MessagePack is a small number, not a
/// map, so the reader alone would say "the body must be a JSON object").
/// </summary>
public static class BodyKinds
{
    public static void ThrowIfMismatched(string? contentType, bool declaredMessagePack, ReadOnlySpan<byte> body)
    {
        var first = FirstNonWhitespace(body);
        if (first is null)
        {
            return;
        }

        if (declaredMessagePack && first is (byte)'{' or (byte)'[')
        {
            throw Problems.UnsupportedMediaType(
                $"The Content-Type is '{contentType}', but the body is JSON text (it starts with '{(char)first.Value}'). "
                + "Send it with 'Content-Type: application/json', or encode it as MessagePack.");
        }

        if (!declaredMessagePack && LooksLikeMessagePackMap(body[0]))
        {
            throw Problems.UnsupportedMediaType(
                $"The Content-Type is '{contentType}', but the body is not JSON: it starts with the byte 0x{body[0]:x2}, a MessagePack map. "
                + "Send it with 'Content-Type: application/x-msgpack', or encode it as JSON.");
        }
    }

    private static byte? FirstNonWhitespace(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>A fixmap (0x80-0x8f), map 16 (0xde) or map 32 (0xdf): how a MessagePack batch begins; never valid JSON.</summary>
    private static bool LooksLikeMessagePackMap(byte first) => first is >= 0x80 and <= 0x8f or 0xde or 0xdf;
}
