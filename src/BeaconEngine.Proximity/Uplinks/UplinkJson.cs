using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Field readers shared by the JSON formats. Each returns a reason naming the vendor's own field, so that an installer
/// reading a rejection can find the setting or firmware that produced it.
/// </summary>
internal static class UplinkJson
{
    /// <summary>Gateway payloads are flat; deep nesting is an attack or a wrong endpoint, not a sighting.</summary>
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    public static bool TryParse(ReadOnlyMemory<byte> utf8, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? error)
    {
        try
        {
            document = JsonDocument.Parse(utf8, Options);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            document = null;
            error = $"the payload is not valid JSON: {ex.Message}";
            return false;
        }
    }

    /// <summary>Text as received from a client library; lone surrogates become U+FFFD instead of failing the transcoding.</summary>
    /// <summary>Reads one sighting out of a JSON object; the shape every per-message MQTT format shares.</summary>
    public delegate bool ObjectReader<TState>(JsonElement payload, TState state, out UplinkSighting sighting, [NotNullWhen(false)] out string? error);

    /// <summary>
    /// A one-sighting message: the whole payload is rejected when it is not a JSON object, a wrong field is an
    /// error at index 0, otherwise the sighting. <paramref name="state"/> carries what the topic said.
    /// </summary>
    public static UplinkDecodeResult DecodeObject<TState>(ReadOnlyMemory<byte> utf8Payload, TState state, ObjectReader<TState> read)
    {
        if (!TryParse(utf8Payload, out var document, out var parseError))
        {
            return UplinkDecodeResult.Rejected(parseError);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return UplinkDecodeResult.Rejected("the payload must be a JSON object");
            }

            return read(document.RootElement, state, out var sighting, out var error)
                ? new UplinkDecodeResult([sighting], [])
                : new UplinkDecodeResult([], [new UplinkError(0, error)]);
        }
    }

    public static ReadOnlyMemory<byte> ToUtf8(string? text) => text is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(text);

    /// <summary>A property that is present and not <c>null</c>: gateways write <c>null</c> for "not known".</summary>
    public static bool TryGet(JsonElement item, string name, out JsonElement value)
    {
        if (item.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static bool TryReadRssi(JsonElement item, string name, out double rssi, [NotNullWhen(false)] out string? error)
    {
        rssi = 0;
        if (!TryGet(item, name, out var element))
        {
            error = $"'{name}' is required (dBm, a number from {UplinkLimits.MinDbm} to {UplinkLimits.MaxDbm})";
            return false;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out rssi) || !double.IsFinite(rssi)
            || rssi is < UplinkLimits.MinDbm or > UplinkLimits.MaxDbm)
        {
            error = $"'{name}' must be a number of dBm from {UplinkLimits.MinDbm} to {UplinkLimits.MaxDbm}";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A calibrated power: a whole number of dBm when present.</summary>
    public static bool TryReadOptionalDbm(JsonElement item, string name, out int? dbm, [NotNullWhen(false)] out string? error)
    {
        dbm = null;
        error = null;
        if (!TryGet(item, name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value)
            || value is < UplinkLimits.MinDbm or > UplinkLimits.MaxDbm)
        {
            error = $"'{name}' must be a whole number of dBm from {UplinkLimits.MinDbm} to {UplinkLimits.MaxDbm}";
            return false;
        }

        dbm = value;
        return true;
    }

    public static bool TryReadUInt16(JsonElement item, string name, out ushort value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (!TryGet(item, name, out var element) || element.ValueKind != JsonValueKind.Number || !element.TryGetUInt16(out value))
        {
            error = $"'{name}' must be a whole number from 0 to 65535";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A proximity UUID as vendors write it: 32 hex digits, with or without the dashes.</summary>
    public static bool TryReadUuid(JsonElement item, string name, out Guid uuid, [NotNullWhen(false)] out string? error)
    {
        uuid = Guid.Empty;
        if (!TryGet(item, name, out var element) || element.ValueKind != JsonValueKind.String
            || !TryParseUuid(Text(element), out uuid))
        {
            error = $"'{name}' must be a UUID of 32 hex digits, with or without dashes";
            return false;
        }

        error = null;
        return true;
    }

    public static bool TryParseUuid(ReadOnlySpan<char> text, out Guid uuid) =>
        Guid.TryParseExact(text, "N", out uuid) || Guid.TryParseExact(text, "D", out uuid);

    public static bool TryReadOptionalString(JsonElement item, string name, out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!TryGet(item, name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"'{name}' must be a string";
            return false;
        }

        value = Text(element);
        if (value is null)
        {
            error = $"'{name}' is not valid Unicode text (bad UTF-8 or a lone surrogate)";
            return false;
        }

        return true;
    }

    /// <summary>
    /// A string element's text, or null where it is not valid Unicode (invalid UTF-8 bytes, or an escaped
    /// lone surrogate): the JSON reader lets those through and only decoding them throws.
    /// </summary>
    public static string? Text(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static bool TryReadOptionalMac(JsonElement item, string name, out string? mac, [NotNullWhen(false)] out string? error)
    {
        mac = null;
        if (!TryReadOptionalString(item, name, out var text, out error))
        {
            return false;
        }

        if (text is not null && !MacAddress.TryNormalize(text, out mac))
        {
            error = $"'{name}' must be a MAC address (12 hex digits, optionally in pairs joined by ':' or '-')";
            return false;
        }

        return true;
    }

    public static bool TryReadOptionalDistance(JsonElement item, string name, out double? metres, [NotNullWhen(false)] out string? error)
    {
        metres = null;
        error = null;
        if (!TryGet(item, name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value) || value < 0)
        {
            error = $"'{name}' must be a number of metres, zero or more";
            return false;
        }

        metres = value;
        return true;
    }

    public static bool TryReadOptionalTime(JsonElement item, string name, out DateTimeOffset? time, [NotNullWhen(false)] out string? error)
    {
        time = null;
        error = null;
        if (!TryGet(item, name, out var element))
        {
            return true;
        }

        if (!UplinkTime.TryRead(element, out var value))
        {
            error = $"'{name}' must be an ISO-8601 time such as \"2022-01-20T13:22:49.434Z\" or Unix milliseconds (1970 to 9999)";
            return false;
        }

        time = value;
        return true;
    }
}
