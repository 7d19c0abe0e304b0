using System.Net;
using System.Text;
using BeaconEngine.Server.Security;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>Every route checks its role, and keys are kept and compared so that a stolen database or a stopwatch gives nothing away.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    // The API routes anyone may call: enrolment, the health probes and the OpenAPI document. Besides them
    // only pages may be anonymous (GETs outside /api and /hubs: the console, the API reference and their
    // files). An API route added without a role fails this test until it is given one (or knowingly added here).
    private static readonly string[] Anonymous =
    [
        "GET /health",
        "GET /health/live",
        "GET /health/ready",
        "GET /openapi/{documentName:regex(^v1$)}.json",
        "POST /api/v1/shoppers",
    ];

    private EngineHost _host = null!;

    // Diagnostics and the floor on, so their routes are checked too.
    public async Task InitializeAsync() => _host = await EngineHost.StartAsync(null, "--diagnostics", "--baseline");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_route_answers_401_without_a_key_and_403_to_every_other_role()
    {
        using var store = await Scenario.CreateAsync(_host);
        var shopper = await store.EnrolAsync();
        var keys = new Dictionary<string, string>
        {
            [Roles.Operator] = EngineHost.AdminKey,
            [Roles.Gateway] = store.GatewayKeys["gw-dairy"],
            [Roles.Brand] = store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!,
            [Roles.Till] = await RegisterTillAsync(store),
            [Roles.Shopper] = shopper.Token,
        };
        var routes = await RouteCatalog.ReadAsync(_host.Services);
        Assert.Equal(Anonymous, routes.Where(r => r.Anonymous && !IsPage(r)).Select(r => r.ToString()).Order(StringComparer.Ordinal));

        using var client = _host.CreateClient();
        var checkedRoutes = 0;
        foreach (var route in routes.Where(r => !r.Anonymous))
        {
            Assert.True(route.Roles.Count > 0 && route.Roles.All(keys.ContainsKey), $"{route} requires no known role ({(route.Roles.Count == 0 ? "any key" : string.Join(", ", route.Roles))})");
            var path = route.Fill(p => p == "storeId" ? store.StoreId : "x1");
            await Scenario.ExpectProblem(await SendAsync(client, route, path, key: null), HttpStatusCode.Unauthorized);
            foreach (var (role, key) in keys.Where(k => !route.Roles.Contains(k.Key)))
            {
                var response = await SendAsync(client, route, path, key);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route} with a {role} key: {(int)response.StatusCode}");
                await Scenario.ExpectProblem(response, HttpStatusCode.Forbidden);
            }

            checkedRoutes++;
        }

        // The contract's routes alone are more than twenty; the hub's two are among them.
        Assert.True(checkedRoutes >= 20, $"only {checkedRoutes} routes found");
        Assert.Contains(routes, r => r.Pattern.StartsWith("/hubs/shopper", StringComparison.Ordinal) && r.Roles.SequenceEqual([Roles.Shopper]));
    }

    [Fact]
    public async Task Keys_are_stored_only_as_their_sha256_and_near_misses_of_a_key_are_refused()
    {
        using var store = await Scenario.CreateAsync(_host);
        var shopper = await store.EnrolAsync();
        string[] issued = [.. store.GatewayKeys.Values, store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!, await RegisterTillAsync(store), shopper.Token];

        // Nothing in the data folder (database, write-ahead log, anything else) holds a key or its random part.
        var files = Directory.GetFiles(_host.DataPath, "*", SearchOption.AllDirectories);
        var contents = new List<byte[]>();
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            contents.Add(buffer.ToArray());
        }

        foreach (var key in issued.Append(EngineHost.AdminKey))
        {
            foreach (var secret in new[] { key, key[3..] })
            {
                Assert.DoesNotContain(contents, bytes => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0);
            }
        }

        // What is stored is the SHA-256, which is what a presented key is looked up by.
        foreach (var key in issued)
        {
            Assert.Contains(contents, bytes => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(AccessKeys.Hash(key))) >= 0);
        }

        // A key one character off anywhere, cut short, extended or in another case is no key at all.
        var gatewayKey = store.GatewayKeys["gw-dairy"];
        string[] nearMisses =
        [
            Flip(gatewayKey, 3), Flip(gatewayKey, gatewayKey.Length - 1), gatewayKey[..^1], gatewayKey + "A", gatewayKey.ToUpperInvariant(),
            Flip(EngineHost.AdminKey, 0), Flip(EngineHost.AdminKey, EngineHost.AdminKey.Length - 1), EngineHost.AdminKey[..^1], EngineHost.AdminKey + "y",
        ];
        foreach (var nearMiss in nearMisses.Where(k => k != gatewayKey && k != EngineHost.AdminKey))
        {
            using var client = _host.CreateClient(nearMiss);
            await Scenario.ExpectProblem(await client.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.Unauthorized);
        }

        Assert.True(AccessKeys.FixedTimeEquals(EngineHost.AdminKey, AccessKeys.HashBytes(EngineHost.AdminKey)));
        Assert.False(AccessKeys.FixedTimeEquals(EngineHost.AdminKey[..^1], AccessKeys.HashBytes(EngineHost.AdminKey)));
    }

    private static bool IsPage(RouteUnderTest route) =>
        route.Method == "GET" && !route.Pattern.StartsWith("/api/", StringComparison.Ordinal) && !route.Pattern.StartsWith("/hubs/", StringComparison.Ordinal)
        && !route.Pattern.StartsWith("/health", StringComparison.Ordinal) && !route.Pattern.StartsWith("/openapi/", StringComparison.Ordinal);

    private static async Task<string> RegisterTillAsync(Scenario store)
    {
        var till = await Scenario.Expect(
            await store.Admin.PostAsync($"/api/v1/stores/{store.StoreId}/tills", new StringContent("""{"tillId":"till-1"}""", Encoding.UTF8, "application/json")),
            HttpStatusCode.Created);
        return till["key"]!.GetValue<string>();
    }

    private static string Flip(string key, int index)
    {
        var chars = key.ToCharArray();
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, RouteUnderTest route, string path, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        if (route.TakesBody)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}
