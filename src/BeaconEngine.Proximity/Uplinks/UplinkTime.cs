using System.Text.Json;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Times as gateways send them. Numbers outside years 1970 to 9999 are unit mistakes (seconds for milliseconds or the
/// reverse), so they are rejected rather than turned into a date nobody meant.
/// </summary>
internal static class UplinkTime
{
    private const long MaxUnixSeconds = 253_402_300_799;
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    public static bool TryFromUnixSeconds(long seconds, out DateTimeOffset value)
    {
        value = default;
        if (seconds is < 0 or > MaxUnixSeconds)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    /// <summary>
    /// An ISO-8601 string (without an offset it is taken as UTC, as our native API does) or whole Unix milliseconds
    /// (some Minew firmware sends those).
    /// </summary>
    public static bool TryRead(JsonElement element, out DateTimeOffset value)
    {
        value = default;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (!element.TryGetInt64(out var ms) || ms is < 0 or > MaxUnixMilliseconds)
                {
                    return false;
                }

                value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                return true;
            case JsonValueKind.String:
                if (!element.TryGetDateTime(out var clock))
                {
                    return false;
                }

                // Without an offset System.Text.Json would assume the server's local time; we assume UTC.
                if (clock.Kind == DateTimeKind.Unspecified)
                {
                    value = new DateTimeOffset(clock, TimeSpan.Zero);
                    return true;
                }

                if (!element.TryGetDateTimeOffset(out var parsed))
                {
                    return false;
                }

                value = parsed.ToUniversalTime();
                return true;
            default:
                return false;
        }
    }
}
