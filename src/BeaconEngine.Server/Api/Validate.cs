using System.Text.Json;
using System.Text.RegularExpressions;

namespace BeaconEngine.Server.Api;

/// <summary>Checks on request fields; each failure is a 400 that names the field and the rule.</summary>
public static partial class Validate
{
    public const int MaxTextLength = 500;

    /// <summary>An id chosen by a client: 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.</summary>
    public static string Id(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Problems.BadRequest($"'{field}' is required.");
        }

        if (!IdPattern().IsMatch(value))
        {
            throw Problems.BadRequest($"'{field}' must be 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.");
        }

        return value;
    }

    /// <summary>Like <see cref="Id"/>, for an id in the route: a bad one cannot name anything, so it is not found.</summary>
    public static string RouteId(string value, string what) =>
        IdPattern().IsMatch(value) ? value : throw Problems.NotFound($"There is no {what} '{Truncate(value)}'.");

    public static string Text(string? value, string field, int max = MaxTextLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Problems.BadRequest($"'{field}' is required and must not be blank.");
        }

        return OptionalText(value, field, max)!;
    }

    public static string? OptionalText(string? value, string field, int max = MaxTextLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > max)
        {
            throw Problems.BadRequest($"'{field}' is {value.Length} characters long; at most {max} are allowed.");
        }

        Printable(value, field);
        return value.Trim();
    }

    /// <summary>
    /// Refuses control characters (tab and line breaks aside), bidirectional overrides and isolates, and
    /// invisible characters: text shown to a shopper or an operator must look like what it is.
    /// </summary>
    public static void Printable(string value, string field)
    {
        var at = value.AsSpan().IndexOfAny(Unprintable);
        if (at >= 0)
        {
            throw Problems.BadRequest($"'{field}' holds the invisible or control character U+{(int)value[at]:X4} at position {at}. Remove it; text is shown as given.");
        }
    }

    // C0 and C1 controls except tab, LF and CR; zero-width space, LRM/RLM, ALM, bidi embeddings, overrides
    // and isolates, line and paragraph separators, BOM. Joiners (U+200C, U+200D) stay: emoji and scripts need them.
    private static readonly System.Buffers.SearchValues<char> Unprintable = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"
        + "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F"
        + "\u061C\u200B\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2028\u2029\u2066\u2067\u2068\u2069\uFEFF");

    public static int Range(int? value, string field, int min, int max, int fallback)
    {
        var v = value ?? fallback;
        return v < min || v > max ? throw Problems.BadRequest($"'{field}' must be between {min} and {max} (got {v}).") : v;
    }

    /// <summary>
    /// Refuses a JSON value holding text that is not valid Unicode (invalid UTF-8 bytes, an escaped lone
    /// surrogate). The JSON reader lets such text through; only decoding it throws, which must not be a 500.
    /// </summary>
    public static void Unicode(JsonElement element, string field)
    {
        try
        {
            Decode(element);
        }
        catch (InvalidOperationException)
        {
            throw Problems.BadRequest($"'{field}' holds text that is not valid Unicode (bad UTF-8 or a lone surrogate).");
        }

        static void Decode(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    _ = e.GetString();
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Decode(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in e.EnumerateObject())
                    {
                        _ = property.Name;
                        Decode(property.Value);
                    }

                    break;
            }
        }
    }

    public static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
