using System.Net;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests;

/// <summary>The OpenAPI document covers every REST route, and the reference page and console are served by the server itself.</summary>
[Collection(SharedEngineB.Name)]
public sealed class ApiReferenceTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task The_openapi_document_lists_every_rest_route_with_a_summary_and_the_key_it_takes()
    {
        using var anonymous = Host.CreateClient();
        var document = await Scenario.Expect(await anonymous.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        Assert.Equal("BeaconEngine API", document["info"]!["title"]!.GetValue<string>());
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearerKey"]!["scheme"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject();

        var routes = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: e.RoutePattern.RawText!.TrimEnd('/'), Method: m)))
            .ToList();
        Assert.True(routes.Count >= 30, $"only {routes.Count} routes found");
        foreach (var (path, method) in routes)
        {
            var operation = paths[path]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {path} is missing from the OpenAPI document");
            Assert.False(string.IsNullOrWhiteSpace(operation!["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
            var success = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(success.Count == 1, $"{method} {path} should name its one success status");
            // The benchmark's diagnostics are free-form dumps for the memory run, not a product API.
            if (success[0].Key != "204" && !path.StartsWith("/api/v1/diagnostics", StringComparison.Ordinal))
            {
                Assert.True(success[0].Value!["content"]?["application/json"]?["schema"] is not null, $"{method} {path} has no response schema");
            }

            var anonymousRoute = path == "/api/v1/shoppers" && method == "POST";
            Assert.Equal(!anonymousRoute, operation["security"] is JsonArray { Count: > 0 });
            Assert.Equal(!anonymousRoute, operation["responses"]!["401"] is not null);
            if (!anonymousRoute)
            {
                Assert.Contains("Key: ", operation["description"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        Assert.Equal("Key: till or operator.", paths["/api/v1/stores/{storeId}/purchases"]!["post"]!["description"]!.GetValue<string>());
        Assert.Equal("Key: brand or operator.", paths["/api/v1/stores/{storeId}/zones"]!["get"]!["description"]!.GetValue<string>());

        // Fields that may be null may be left out, so they are not listed as required.
        var purchase = document["components"]!["schemas"]!["PurchaseRequest"]!;
        Assert.Empty(purchase["required"]?.AsArray() ?? []);

        // Times are ISO-8601 strings or Unix milliseconds, as the contract says.
        var at = purchase["properties"]!["at"]!;
        Assert.Equal("date-time", at["format"]!.GetValue<string>());
        Assert.Equal(["integer", "null", "string"], at["type"]!.AsArray().Select(t => t!.GetValue<string>()).Order());
        Assert.Equal(201, int.Parse(paths["/api/v1/offers"]!["post"]!["responses"]!.AsObject().Single(r => r.Key.StartsWith('2')).Key, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_reference_page_and_the_console_are_served_without_any_other_site()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };
        var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>BeaconEngine API</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/scalar.js")).StatusCode);

        var redirect = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/console/", redirect.Headers.Location?.OriginalString);
        Assert.Equal("/console/", (await client.GetAsync("/")).Headers.Location?.OriginalString);
        var console = await client.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Equal("text/html", console.Content.Headers.ContentType?.MediaType);
        foreach (var asset in (string[])["app.js", "api.js", "charts.js", "console.css", "favicon.svg"])
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/console/{asset}")).StatusCode);
        }
    }
}
