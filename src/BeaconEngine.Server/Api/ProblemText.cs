using System.Text.RegularExpressions;

namespace BeaconEngine.Server.Api;

/// <summary>
/// Keeps a problem's <c>detail</c> in the client's terms: the framework's own wording about parameters and
/// inferred bodies is said plainly, and no .NET type name (of the server or the framework) reaches a client.
/// </summary>
public static partial class ProblemText
{
    public static string Scrub(string detail)
    {
        if (detail.Contains("Implicit body inferred", StringComparison.Ordinal) || detail.Contains("no body was provided", StringComparison.Ordinal))
        {
            return "This route needs a JSON body and none was sent. Send one with 'Content-Type: application/json'; see /openapi/v1.json.";
        }

        detail = RequiredParameter().Replace(detail, m => $"'{m.Groups["name"].Value}' is required.");
        detail = FailedToBind().Replace(detail, m => $"'{m.Groups["name"].Value}' has a value that is not valid here.");
        detail = FailedToRead().Replace(detail, "The request body could not be read as JSON.");
        return TypeName().Replace(detail, "the expected type");
    }

    [GeneratedRegex("""Required parameter "(?:[^"]* )?(?<name>[A-Za-z_]\w*)" was not provided[^.]*\.""", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredParameter();

    [GeneratedRegex("""Failed to bind parameter "(?:[^"]* )?(?<name>[A-Za-z_]\w*)" from "[^"]*"\.""", RegexOptions.CultureInvariant)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""Failed to read parameter "[^"]*" from the request body as JSON\.""", RegexOptions.CultureInvariant)]
    private static partial Regex FailedToRead();

    // Namespace-qualified names, with generic arguments (`1[...]) if any.
    [GeneratedRegex(@"\b(?:BeaconEngine|System|Microsoft|Orleans)(?:\.[A-Za-z_][\w`]*)+(?:\[[^\]]*\])*", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();
}
