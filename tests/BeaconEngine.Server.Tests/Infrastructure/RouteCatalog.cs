using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// One route of the running app, as its own endpoint metadata describes it. <paramref name="Roles"/> are the
/// roles its authorization policy lets in (empty: anonymous, or any valid key).
/// </summary>
public sealed record RouteUnderTest(string Method, string Pattern, IReadOnlyList<string> Roles, bool Anonymous, bool TakesBody)
{
    /// <summary>The first role allowed in, for tests that need one key the route takes.</summary>
    public string? Role => Roles.Count > 0 ? Roles[0] : null;

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

    public static async Task<IReadOnlyList<RouteUnderTest>> ReadAsync(IServiceProvider services)
    {
        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var routes = new List<RouteUnderTest>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];

            // The policy as the authorization middleware combines it: named policies, [Authorize] and inline ones.
            var policy = await AuthorizationPolicy.CombineAsync(policies, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || policy is null;
            var roleSets = policy?.Requirements.OfType<RolesAuthorizationRequirement>().Select(r => r.AllowedRoles).ToList() ?? [];
            IReadOnlyList<string> roles = roleSets.Count == 0 ? [] : [.. roleSets.Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal)).Order(StringComparer.Ordinal)];
            foreach (var method in methods.Where(m => m is not "OPTIONS" and not "HEAD"))
            {
                // A body bound by the framework shows as accepts metadata; the sighting routes read theirs
                // themselves (vendor formats come in any content type).
                var takesBody = method is "POST" or "PUT" or "PATCH"
                    && (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null || pattern.StartsWith("/api/v1/sightings", StringComparison.Ordinal));
                routes.Add(new RouteUnderTest(method, pattern, anonymous ? [] : roles, anonymous, takesBody));
            }
        }

        return [.. routes.DistinctBy(r => r.ToString()).OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex ParameterRegex();
}
