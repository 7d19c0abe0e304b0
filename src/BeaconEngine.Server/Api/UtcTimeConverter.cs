using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeaconEngine.Server.Api;

/// <summary>
/// Reads a time as an ISO-8601 string (a string without an offset is taken as UTC) or as Unix
/// milliseconds; writes ISO-8601 UTC with milliseconds, e.g. <c>2026-11-23T10:15:00.250Z</c>.
/// </summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>Years 1970 to 9999: anything else is a unit mistake (seconds, microseconds) rather than a time.</summary>
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>Times in a request body lie in these years; anything outside is a mistake (a unit, an unset clock, a sentinel).</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetInt64(out var ms) || ms is < 0 or > MaxUnixMilliseconds)
            {
                throw new JsonException("A time as a number must be whole Unix milliseconds between 1970 and 9999.");
            }

            return Plausible(DateTimeOffset.FromUnixTimeMilliseconds(ms));
        }

        if (reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out var parsed))
        {
            return Plausible(parsed);
        }

        throw new JsonException("A time must be an ISO-8601 string such as \"2026-11-23T10:15:00.250Z\" or Unix milliseconds.");
    }

    private static DateTimeOffset Plausible(DateTimeOffset time) => time >= Earliest && time < Latest
        ? time
        : throw new JsonException($"The time {Format(time)} is outside the years 2000 to 2199; send a real UTC time (Unix milliseconds, not seconds).");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>Reads a time from a JSON element of either form; false with a reason otherwise.</summary>
    public static bool TryRead(JsonElement element, out DateTimeOffset value, out string? error)
    {
        value = default;
        error = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetInt64(out var ms) && ms is >= 0 and <= MaxUnixMilliseconds:
                value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                return true;
            case JsonValueKind.String when TryParse(element.GetString(), out value):
                return true;
            default:
                error = "must be an ISO-8601 time string or Unix milliseconds";
                return false;
        }
    }
}
