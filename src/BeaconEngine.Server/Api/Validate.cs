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

        return value.Trim();
    }

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
