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

        Assert.EndsWith("\n\nKey: till or operator.", paths["/api/v1/stores/{storeId}/purchases"]!["post"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("\n\nKey: brand or operator.", paths["/api/v1/stores/{storeId}/zones"]!["get"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

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
    public async Task The_sightings_route_has_its_fields_an_example_and_every_error_status()
    {
        using var anonymous = Host.CreateClient();
        var document = await Scenario.Expect(await anonymous.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!;
        var operation = document["paths"]!["/api/v1/sightings"]!["post"]!;

        // The body: a real schema, for JSON and MessagePack, with an example batch.
        var content = operation["requestBody"]!["content"]!;
        Assert.Equal("#/components/schemas/SightingsRequest", content["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(content["application/x-msgpack"]);
        var example = content["application/json"]!["example"]!;
        Assert.Equal(3, example["sightings"]!.AsArray().Count);

        var batch = schemas["SightingsRequest"]!;
        Assert.Equal(["sightings"], batch["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(5000, batch["properties"]!["sightings"]!["maxItems"]!.GetValue<int>());
        var item = schemas["SightingItem"]!["properties"]!;
        Assert.Equal("number", item["rssi"]!["type"]!.GetValue<string>());
        Assert.Equal("-127", item["rssi"]!["minimum"]!.ToString());
        Assert.Equal("20", item["rssi"]!["maximum"]!.ToString());
        Assert.Contains("Unix milliseconds", item["ts"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("#/components/schemas/BeaconIdentityBody", item["ibeacon"]!["$ref"]?.GetValue<string>() ?? item["ibeacon"]!["oneOf"]?[1]?["$ref"]?.GetValue<string>());
        Assert.NotNull(item["rawData"]!["pattern"]);
        var identity = schemas["BeaconIdentityBody"]!["properties"]!;
        Assert.Equal("uuid", identity["uuid"]!["format"]!.GetValue<string>());
        Assert.Equal("65535", identity["major"]!["maximum"]!.ToString());

        // The answer, with an example, and every error a gateway can meet, each saying what it means.
        var responses = operation["responses"]!.AsObject();
        Assert.Equal(["202", "400", "401", "403", "409", "413", "415", "429"], responses.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.NotNull(responses["202"]!["content"]!["application/json"]!["example"]!["rejected"]);
        Assert.All(responses.Where(r => r.Key != "202"), r => Assert.False(string.IsNullOrWhiteSpace(r.Value!["description"]?.GetValue<string>())));
        Assert.NotNull(responses["415"]!["content"]?["application/problem+json"]);

        // The vendor routes show the format they read, with the vendor's example, and their errors (any content type: no 415).
        foreach (var (path, type) in new[] { ("/api/v1/sightings/minew", "application/json"), ("/api/v1/sightings/ingics", "text/plain") })
        {
            var vendor = document["paths"]![path]!["post"]!;
            Assert.NotNull(vendor["requestBody"]!["content"]![type]!["example"]);
            Assert.Equal(["202", "400", "401", "403", "409", "413", "429"], vendor["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
        }

        // Short summaries: a name for the operation, with the detail in the description.
        Assert.Equal("Send a gateway's batch of sightings", operation["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Numbers_are_typed_as_numbers_and_every_summary_is_short()
    {
        using var anonymous = Host.CreateClient();
        var document = await Scenario.Expect(await anonymous.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);

        // Only times may be a string or a number (ISO-8601 or Unix milliseconds, as the contract says).
        var mixed = Schemas(document).Where(s => s["type"] is JsonArray types
                && types.Any(t => t!.GetValue<string>() is "integer" or "number") && types.Any(t => t!.GetValue<string>() == "string")
                && s["format"]?.GetValue<string>() != "date-time")
            .Select(s => s.GetPath())
            .ToList();
        Assert.True(mixed.Count == 0, $"Typed as number or string: {string.Join(", ", mixed.Take(10))}");

        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key.ToUpperInvariant()} {p.Key}", Summary: o.Value!["summary"]!.GetValue<string>())));
        var longSummaries = operations.Where(o => o.Summary.Split(' ').Length > 20).Select(o => $"{o.Name}: {o.Summary}").ToList();
        Assert.True(longSummaries.Count == 0, string.Join("\n", longSummaries));
    }

    [Fact]
    public async Task Every_route_with_a_body_names_its_body_errors_and_every_route_its_rate_limit()
    {
        using var anonymous = Host.CreateClient();
        var document = await Scenario.Expect(await anonymous.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("429"), $"{method} {path} does not name its 429");
                if (operation["requestBody"] is not null)
                {
                    // The vendor uploads read a body of any content type, so only they have no 415.
                    string[] statuses = path.StartsWith("/api/v1/sightings/", StringComparison.Ordinal) ? ["400", "413"] : ["400", "413", "415"];
                    Assert.All(statuses, status => Assert.True(responses.ContainsKey(status), $"{method} {path} does not name its {status}"));
                }

                if (path.Contains('{', StringComparison.Ordinal))
                {
                    Assert.True(responses.ContainsKey("404"), $"{method} {path} does not name its 404");
                }
            }
        }

        // The routes a newcomer calls first show a worked example of what to send and what comes back.
        var paths = document["paths"]!;
        foreach (var (path, method) in new[] { ("/api/v1/stores/{storeId}", "put"), ("/api/v1/stores/{storeId}/gateways", "post"), ("/api/v1/brands", "post"),
            ("/api/v1/offers", "post"), ("/api/v1/shoppers", "post"), ("/api/v1/stores/{storeId}/redemptions", "post") })
        {
            var operation = paths[path]![method]!;
            Assert.True(operation["requestBody"]!["content"]!["application/json"]!["example"] is JsonObject, $"{method} {path} has no request example");
            var success = operation["responses"]!.AsObject().Single(r => r.Key.StartsWith('2')).Value!;
            Assert.True(success["content"]!["application/json"]!["example"] is JsonObject, $"{method} {path} has no response example");
        }

        // The till's second scan and an expired code, as the contract answers them.
        var redeem = document["paths"]!["/api/v1/stores/{storeId}/redemptions"]!["post"]!["responses"]!.AsObject();
        Assert.True(redeem.ContainsKey("409") && redeem.ContainsKey("410"), "redemptions should name 409 and 410");
    }

    /// <summary>Every object of the document that describes a value (has a "type").</summary>
    private static IEnumerable<JsonObject> Schemas(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            if (obj["type"] is not null)
            {
                yield return obj;
            }

            foreach (var child in obj.Select(p => p.Value).OfType<JsonNode>().SelectMany(Schemas))
            {
                yield return child;
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.OfType<JsonNode>().SelectMany(Schemas))
            {
                yield return child;
            }
        }
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
