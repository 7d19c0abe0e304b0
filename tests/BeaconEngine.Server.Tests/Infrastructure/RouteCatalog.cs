using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>One route of the running app, as its own endpoint metadata describes it.</summary>
public sealed record RouteUnderTest(string Method, string Pattern, string? Role, bool Anonymous, bool TakesBody)
{
    public IReadOnlyList<string> Parameters { get; } =
        [.. RouteCatalog.ParameterPattern.Matches(Pattern).Select(m => m.Groups[1].Value)];

    /// <summary>The pattern with each route value replaced by <paramref name="value"/>'s answer (already URL-encoded).</summary>
    public string Fill(Func<string, string> value) => RouteCatalog.ParameterPattern.Replace(Pattern, m => value(m.Groups[1].Value));

    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// Every route the app maps, read from its <see cref="EndpointDataSource"/>, so a route added later is
/// covered by the security and fuzz tests without anyone remembering to list it.
/// </summary>
public static partial class RouteCatalog
{
    internal static readonly Regex ParameterPattern = ParameterRegex();

    public static IReadOnlyList<RouteUnderTest> Read(IServiceProvider services)
    {
        var routes = new List<RouteUnderTest>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            var role = authorize.Select(a => a.Policy ?? a.Roles).LastOrDefault(p => p is not null);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || authorize.Count == 0;
            foreach (var method in methods.Where(m => m is not "OPTIONS" and not "HEAD"))
            {
                // A body bound by the framework shows as accepts metadata; the sighting routes read theirs
                // themselves (vendor formats come in any content type).
                var takesBody = method is "POST" or "PUT" or "PATCH"
                    && (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null || pattern.StartsWith("/api/v1/sightings", StringComparison.Ordinal));
                routes.Add(new RouteUnderTest(method, pattern, anonymous ? null : role, anonymous, takesBody));
            }
        }

        return [.. routes.DistinctBy(r => r.ToString()).OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex ParameterRegex();
}
