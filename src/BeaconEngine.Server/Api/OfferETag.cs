using Microsoft.Extensions.Primitives;

namespace BeaconEngine.Server.Api;

/// <summary>
/// An offer's version as an HTTP entity tag (<c>"v3"</c>): set on its reads and writes, and read back from
/// <c>If-Match</c> (RFC 9110, strong comparison: a weak tag never matches, <c>*</c> matches any version).
/// </summary>
public static class OfferETag
{
    public static string Of(long version) => $"\"v{version}\"";

    public static void Set(HttpContext http, long version) => http.Response.Headers.ETag = Of(version);

    /// <summary>The versions <c>If-Match</c> accepts; null when it is absent or <c>*</c>. A tag that is not one of ours matches none.</summary>
    public static long[]? Parse(StringValues ifMatch)
    {
        if (StringValues.IsNullOrEmpty(ifMatch))
        {
            return null;
        }

        var versions = new List<long>();
        foreach (var header in ifMatch)
        {
            foreach (var raw in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (raw == "*")
                {
                    return null;
                }

                if (raw.Length >= 4 && raw.StartsWith("\"v", StringComparison.Ordinal) && raw.EndsWith('"')
                    && long.TryParse(raw.AsSpan(2, raw.Length - 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
                {
                    versions.Add(version);
                }
            }
        }

        return [.. versions];
    }
}
