using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Security;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// Over 10,000 seeded hostile requests at every route the app maps (read from its endpoint data source)
/// and at the shopper hub, on one real Kestrel server, in parallel with a handful of valid requests.
/// Afterwards the server is alive, every hostile request got a 4xx problem (a sighting batch whose items
/// are all broken gets its 202 with nothing accepted, as the contract says), and the stored state is
/// exactly what the valid requests made it. Set BEACONENGINE_FUZZ_SEED to replay another seed.
/// </summary>
public sealed class HostileInputFuzzTests(ITestOutputHelper output)
{
    private const int HttpCases = 10_000;
    private const int HubCases = 300;
    private const int Parallelism = 12;

    private static int _refusedByKestrel;

    private static readonly string[] HostileRouteValues =
    [
        "%FF%FE", "%C0%AF", "..%2F..%2Fetc%2Fpasswd", "%00", "a%20b", "%C5%BC", "%F0%9F%98%80", new string('a', 65),
        new string('x', 2_000), "99999999999999999999999", "-1", "%7B%7D", "%27%3B%20DROP%20TABLE%20grain_state%3B--", "%E2%80%AE",
        "null", "%2E%2E",
    ];

    [Fact]
    public async Task Ten_thousand_hostile_requests_at_every_route_and_the_hub_get_4xx_problems_and_change_nothing_else()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BEACONENGINE_FUZZ_SEED"), out var given) ? given : 20261123;
        var random = new Random(seed);
        var payloads = new HostilePayloads(random);
        var clock = Stopwatch.StartNew();

        // The fuzz is about input, not rate: lift the limits so no hostile request is answered 429 instead.
        await using var host = await EngineHost.StartAsync(null,
            "--BeaconEngine:RateLimits:Gateway:PermitsPerSecond", "1000000", "--BeaconEngine:RateLimits:Gateway:Burst", "1000000",
            "--BeaconEngine:RateLimits:Key:PermitsPerSecond", "1000000", "--BeaconEngine:RateLimits:Key:Burst", "1000000",
            "--BeaconEngine:RateLimits:Anonymous:PermitsPerSecond", "1000000", "--BeaconEngine:RateLimits:Anonymous:Burst", "1000000",
            "--Logging:LogLevel:Microsoft.AspNetCore", "None", "--Logging:LogLevel:BeaconEngine", "Error");
        using var store = await Scenario.CreateAsync(host);
        var world = await World.CreateAsync(store);
        var routes = await RouteCatalog.ReadAsync(host.Services);
        var before = StoredRows(host);
        var viewsBefore = await world.ViewsAsync();

        // The hostile requests, and the valid ones placed among them at seeded positions.
        var cases = new List<Func<HttpClient, Task<string?>>>();
        var describe = new List<string>();
        // Anonymous pages (the console, the API reference and their files) serve the same page for any path.
        var attackable = routes.Where(r => (!r.Anonymous || r.TakesBody || r.Parameters.Count > 0)
            && !(r.Anonymous && r.Method == "GET" && !r.Pattern.StartsWith("/api/", StringComparison.Ordinal) && !r.Pattern.StartsWith("/openapi/", StringComparison.Ordinal))).ToList();
        for (var i = 0; cases.Count < HttpCases; i++)
        {
            var route = attackable[i % attackable.Count];
            var request = NextHostile(route, i, random, payloads, world);
            if (request is null)
            {
                continue;
            }

            describe.Add($"{request.Kind}: {request.Method} {request.Path}");
            cases.Add(client => SendHostileAsync(client, request));
        }

        for (var i = 0; i < HubCases; i++)
        {
            var hubCase = NextHubCase(random, world);
            describe.Add($"hub {hubCase.Kind}");
            cases.Add(_ => RunHubCaseAsync(host.BaseAddress, hubCase));
        }

        var hostileCount = cases.Count;
        var valid = world.ValidRequests();
        var order = Enumerable.Range(0, hostileCount).Select(i => (Index: i, Valid: -1)).ToList();
        for (var v = 0; v < valid.Count; v++)
        {
            order.Insert(random.Next(order.Count), (-1, v));
        }

        // Hostile cases share one client; valid requests use their own keys.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Parallelism * 2, Expect100ContinueTimeout = TimeSpan.FromSeconds(5) };
        using var client = new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var failures = new ConcurrentBag<string>();
        var validFailures = new ConcurrentBag<string>();
        var next = -1;
        var workers = Enumerable.Range(0, Parallelism).Select(_ => Task.Run(async () =>
        {
            int slot;
            while ((slot = Interlocked.Increment(ref next)) < order.Count)
            {
                var (index, validIndex) = order[slot];
                if (validIndex >= 0)
                {
                    if (await Attempt(() => valid[validIndex]()) is { } broken)
                    {
                        validFailures.Add(broken);
                    }

                    continue;
                }

                if (await Attempt(() => cases[index](client)) is { } failure)
                {
                    failures.Add($"{describe[index]} -> {failure}");
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        output.WriteLine($"seed {seed}: {hostileCount} hostile requests ({HubCases} at the hub) and {valid.Count} valid ones at {routes.Count} routes in {clock.Elapsed.TotalSeconds:F1} s; {_refusedByKestrel} with a NUL in the path were refused by Kestrel with a bare 400");

        Assert.True(hostileCount >= 10_000);
        Assert.True(validFailures.IsEmpty, "valid requests failed: " + string.Join("\n", validFailures));
        Assert.True(failures.IsEmpty, $"seed {seed}: {failures.Count} of {hostileCount} hostile requests were not refused properly, e.g.:\n"
            + string.Join("\n", failures.GroupBy(f => f[..Math.Min(f.Length, 90)]).Take(25).Select(g => $"{g.Count()} x {g.First()}")));

        // Alive, and serving valid requests.
        using var admin = host.CreateClient(EngineHost.AdminKey);
        await Scenario.Expect(await admin.GetAsync("/health"), HttpStatusCode.OK);
        await Scenario.Expect(await admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK);

        // Exactly what the valid requests made: their results are there, and every row they do not
        // concern is byte for byte what it was (no hostile request wrote, created or deleted a row).
        await world.AssertValidEffectsAsync(viewsBefore);
        var after = StoredRows(host);
        var touched = world.TouchedKeys();
        bool Concerned(string grainId) => touched.Any(k => grainId.Contains(k, StringComparison.Ordinal));
        var changed = before.Keys.Union(after.Keys)
            .Where(id => !Concerned(id) && (!before.TryGetValue(id, out var was) || !after.TryGetValue(id, out var now) || !was.SequenceEqual(now)))
            .ToList();
        Assert.True(changed.Count == 0, "rows changed that no valid request concerns: " + string.Join(", ", changed));
        output.WriteLine($"{before.Count} rows before, {after.Count} after; {after.Keys.Count(Concerned)} concern the valid requests");
    }

    private static async Task<string?> Attempt(Func<Task<string?>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or WebSocketException or IOException)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    private sealed record HostileRequest(string Kind, string Method, string Path, string? Authorization, HostileBody? Body, bool SightingsRoute);

    private static HostileRequest? NextHostile(RouteUnderTest route, int i, Random random, HostilePayloads payloads, World world)
    {
        var sightings = route.Pattern.StartsWith("/api/v1/sightings", StringComparison.Ordinal);
        var vendor = sightings && route.Pattern != "/api/v1/sightings";
        var kinds = new List<string>();
        if (!route.Anonymous)
        {
            kinds.Add("auth");
        }

        if (route.TakesBody)
        {
            kinds.AddRange(["body", "body", "body"]);
        }

        if (route.Parameters.Count > 0)
        {
            kinds.Add("route value");
        }

        if (kinds.Count == 0)
        {
            return null;
        }

        var kind = kinds[random.Next(kinds.Count)];
        var template = world.Template(route);
        var path = route.Fill(world.RealValue);
        var key = route.Roles.Count > 0 ? $"Bearer {world.KeyOf(route.Roles)}" : null;
        switch (kind)
        {
            case "auth":
                var (what, authorization) = world.HostileAuthorization(route.Roles, random);
                var body = route.TakesBody ? new HostileBody("valid body", Encoding.UTF8.GetBytes(template.Json?.ToJsonString() ?? template.Text ?? "{}"), template.Text is null ? "application/json" : "text/plain") : null;
                return new($"auth: {what}", route.Method, path, authorization, body, false);
            case "route value":
                var parameter = route.Parameters[random.Next(route.Parameters.Count)];
                var hostile = random.Next(5) == 0 ? world.OtherTenantValue(parameter) ?? Pick(HostileRouteValues, random) : Pick(HostileRouteValues, random);

                // ".." as the last segment is resolved by the client and Kestrel to the parent path: a request
                // for another resource (GET .../calibrations/.. is GET the store), not a value of this route.
                while (hostile == "%2E%2E" && route.Pattern.EndsWith($"{{{parameter}}}", StringComparison.Ordinal))
                {
                    hostile = Pick(HostileRouteValues, random);
                }

                var hostilePath = route.Fill(p => p == parameter ? hostile : world.RealValue(p));
                return new($"route value {parameter}={hostile[..Math.Min(hostile.Length, 20)]}", route.Method, hostilePath, key,
                    route.TakesBody ? payloads.Next(template.Json, template.Required) : null, false);
            default:
                HostileBody payload;
                if (i % 500 == 7)
                {
                    payload = HostilePayloads.TwoMebibytes(template.Json);
                }
                else if (route.Pattern == "/api/v1/sightings" && i % 300 == 11)
                {
                    payload = HostilePayloads.OverLimitBatch(world.StoreUuid);
                }
                else if (vendor && random.Next(2) == 0)
                {
                    payload = payloads.BrokenVendorPayload(ingics: route.Pattern.EndsWith("ingics", StringComparison.Ordinal));
                }
                else if (sightings && !vendor && random.Next(3) == 0)
                {
                    payload = payloads.BrokenSightingItems(world.StoreUuid);
                }
                else
                {
                    payload = payloads.Next(template.Json, template.Required);
                }

                return new($"body: {payload.Kind}", route.Method, path, key, payload, sightings);
        }
    }

    private static async Task<string?> SendHostileAsync(HttpClient client, HostileRequest hostile)
    {
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), hostile.Path);
        if (hostile.Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", hostile.Authorization);
        }

        if (hostile.Body is { } body)
        {
            request.Content = new ByteArrayContent(body.Bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(body.ContentType);
            request.Headers.ExpectContinue = body.Large;
        }

        using var response = await client.SendAsync(request);

        // A NUL in the path is refused by Kestrel itself, before any middleware: a bare 400.
        if (hostile.Path.Contains("%00", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.BadRequest
            && response.Content.Headers.ContentLength == 0)
        {
            Interlocked.Increment(ref _refusedByKestrel);
            return null;
        }

        return await JudgeAsync(response, hostile.SightingsRoute);
    }

    /// <summary>Null if the answer is a proper refusal; otherwise what was wrong with it.</summary>
    private static async Task<string?> JudgeAsync(HttpResponseMessage response, bool sightingsRoute)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var shown = text[..Math.Min(text.Length, 160)];
        if (sightingsRoute && status == 202)
        {
            var accepted = JsonNode.Parse(text)?["accepted"]?.GetValue<int>();
            return accepted == 0 ? null : $"202 with {accepted} accepted: {shown}";
        }

        if (status is < 400 or >= 500)
        {
            return $"{status}: {shown}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}: {shown}";
        }

        var problem = JsonNode.Parse(text);
        var detail = problem?["detail"]?.GetValue<string>();
        return problem?["status"]?.GetValue<int>() != status || string.IsNullOrWhiteSpace(detail) || detail.Contains("   at ", StringComparison.Ordinal)
            ? $"{status} with a bad problem body: {shown}"
            : null;
    }

    private sealed record HubCase(string Kind, string? Token, byte[] Handshake, byte[]? Message, bool HostileHandshake);

    private static HubCase NextHubCase(Random random, World world)
    {
        const char End = '\u001e';
        var handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + End);
        switch (random.Next(12))
        {
            case 0:
                var (what, authorization) = world.HostileAuthorization([Roles.Shopper], random);
                return new($"token: {what}", authorization?.Replace("Bearer ", "", StringComparison.Ordinal) ?? "", handshake, null, false);
            case 1:
                string[] handshakes = ["{\"protocol\":\"xml\",\"version\":1}", "{\"protocol\":\"json\",\"version\":99}", "{}", "[1,2", "{\"protocol\":123}"];
                var bad = Pick(handshakes, random);
                return new($"handshake {bad}", world.HubToken, Encoding.UTF8.GetBytes(bad + End), null, true);
            default:
                var id = random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var target = Pick(["Ack", "Dismiss"], random);
                string[] messages =
                [
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":[123]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":[{}]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":[1e400]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":[]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":["a","b","c"]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":["{{world.OtherShoppersCouponId}}"]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":["cpn_{{new string('Z', random.Next(1, 30_000))}}"]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"Hack","arguments":[]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"OnConnectedAsync","arguments":[]}""",
                    $$"""{"type":4,"invocationId":"{{id}}","target":"{{target}}","arguments":["x"]}""",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":{{new string('[', 5_000)}}""",
                    """{"type":1,"target":""",
                    "not json at all",
                    $$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":["{{new string('Q', 40_000)}}"]}""",
                ];
                var message = Pick(messages, random);
                var bytes = Encoding.UTF8.GetBytes(message + End);
                if (random.Next(8) == 0)
                {
                    bytes = [.. bytes[..(bytes.Length / 2)], 0xFF, 0xC0, .. bytes[(bytes.Length / 2)..]];
                }

                return new($"message {message[..Math.Min(message.Length, 60)]}", world.HubToken, handshake, bytes, false);
        }
    }

    /// <summary>One WebSocket connection to the hub; null if the hostile part was refused as it should be.</summary>
    private static async Task<string?> RunHubCaseAsync(Uri baseAddress, HubCase hubCase)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(new Uri(baseAddress, "/hubs/shopper")) { Scheme = "ws", Query = $"access_token={Uri.EscapeDataString(hubCase.Token ?? "")}" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
            var status = (int)socket.HttpStatusCode;
            return hubCase.Kind.StartsWith("token", StringComparison.Ordinal) && status is 401 or 403 ? null : $"connect failed with {status}";
        }

        if (hubCase.Kind.StartsWith("token", StringComparison.Ordinal))
        {
            return "a hostile token was let in";
        }

        await socket.SendAsync(hubCase.Handshake, WebSocketMessageType.Text, true, timeout.Token);
        var reply = await ReceiveAsync(socket, timeout.Token);
        if (hubCase.HostileHandshake)
        {
            return reply is null || reply.Contains("\"error\"", StringComparison.Ordinal) ? null : $"handshake accepted: {reply}";
        }

        if (reply is null || reply.Contains("\"error\"", StringComparison.Ordinal))
        {
            return $"the valid handshake failed: {reply}";
        }

        await socket.SendAsync(hubCase.Message!, WebSocketMessageType.Text, true, timeout.Token);
        while (await ReceiveAsync(socket, timeout.Token) is { } answer)
        {
            foreach (var frame in answer.Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                var message = JsonNode.Parse(frame);
                switch (message?["type"]?.GetValue<int>())
                {
                    case 3 when message["error"] is not null:
                    case 7:
                        await CloseQuietlyAsync(socket);
                        return null;
                    case 3:
                        return $"the hub completed a hostile invocation: {frame}";
                }
            }
        }

        // The server closed the connection on a message it could not read.
        return null;
    }

    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellation)
    {
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellation);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(text.ToArray());
            }
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Already closed by the server.
        }
    }

    private static T Pick<T>(T[] items, Random random) => items[random.Next(items.Length)];

    /// <summary>Every state row: grain id and state name to version and data.</summary>
    private static Dictionary<string, byte[]> StoredRows(EngineHost host)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "beaconengine.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT grain_id, state_name, version, data FROM grain_state";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, byte[]>();
        while (reader.Read())
        {
            rows[$"{reader.GetString(0)}#{reader.GetString(1)}"] = [.. BitConverter.GetBytes(reader.GetInt64(2)), .. (byte[])reader.GetValue(3)];
        }

        return rows;
    }

    /// <summary>
    /// The store as the fuzz finds it: brand A's offer, brand B's offer, shopper S with a coupon, shopper T
    /// (whose hub connection is attacked) and shopper W (whom a valid request places during the fuzz).
    /// </summary>
    private sealed class World
    {
        private readonly Scenario _store;
        private readonly List<string> _validOfferIds = [];
        private readonly List<string> _validGatewayKeys = [];

        private World(Scenario store) => _store = store;

        public string StoreUuid { get; private set; } = "";

        public string HubToken => _shopperT.Token;

        public string OtherShoppersCouponId { get; private set; } = "";

        private string _offerA = "";
        private string _offerB = "";
        private HttpClient _brandB = null!;
        private EnrolledShopper _shopperS = null!;
        private EnrolledShopper _shopperT = null!;
        private EnrolledShopper _shopperW = null!;
        private string _couponCodeS = "";

        public static async Task<World> CreateAsync(Scenario store)
        {
            var world = new World(store);
            world._offerA = await store.CreateOfferAsync("dairy", title: "Brand A in dairy");
            var brandB = await Scenario.Expect(await store.Admin.PostAsJsonAsync("/api/v1/brands", new { brandId = $"fuzz-b-{Guid.NewGuid():N}"[..20], name = "B" }), HttpStatusCode.Created);
            world._brandB = store.Host.CreateClient(brandB["key"]!.GetValue<string>());
            store.Brands["brand-b"] = world._brandB;
            world._offerB = await store.CreateOfferAsync("snacks", title: "Brand B in snacks", brandId: "brand-b");
            world.StoreUuid = (await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK))["beaconUuid"]!.GetValue<string>();

            world._shopperS = await store.EnrolAsync();
            world._shopperT = await store.EnrolAsync();
            world._shopperW = await store.EnrolAsync();
            await store.PostSightingsAsync("gw-dairy", Scenario.Approach(world._shopperS));
            using var s = store.Host.CreateClient(world._shopperS.Token);
            var coupon = (await Scenario.Expect(await s.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray().Single()!;
            world.OtherShoppersCouponId = coupon["couponId"]!.GetValue<string>();
            world._couponCodeS = coupon["code"]!.GetValue<string>();
            return world;
        }

        /// <summary>A key the route takes: of the first of its roles this world holds a key for.</summary>
        public string KeyOf(IReadOnlyList<string> roles) => KeyOf(roles.First(r => r is not Roles.Till));

        public string KeyOf(string role) => role switch
        {
            Roles.Operator => EngineHost.AdminKey,
            Roles.Gateway => _store.GatewayKeys["gw-dairy"],
            Roles.Brand => _store.Brands["brand-a"].DefaultRequestHeaders.Authorization!.Parameter!,
            Roles.Shopper => _shopperT.Token,
            _ => throw new InvalidOperationException($"no key for role {role}"),
        };

        /// <summary>A route value that names a real thing the caller may use (never one a valid request writes to).</summary>
        public string RealValue(string parameter) => parameter switch
        {
            "storeId" => _store.StoreId,
            "offerId" => _offerA,
            "shopperId" => _shopperT.ShopperId,
            "gatewayId" => "gw-dairy",
            "couponId" => OtherShoppersCouponId,
            _ => "x1",
        };

        /// <summary>Another tenant's real id for a parameter, where there is one.</summary>
        public string? OtherTenantValue(string parameter) => parameter switch
        {
            "offerId" => _offerB,
            "couponId" => OtherShoppersCouponId,
            "storeId" => "another-store",
            _ => null,
        };

        public (string What, string? Authorization) HostileAuthorization(IReadOnlyList<string> allowed, Random random)
        {
            var wrongRoles = new[] { Roles.Operator, Roles.Gateway, Roles.Brand, Roles.Shopper }.Where(r => !allowed.Contains(r)).ToList();
            return random.Next(9) switch
            {
                0 => ("no key", null),
                1 => ("empty bearer", "Bearer "),
                2 => ("key too long", "Bearer " + new string('k', 300)),
                3 => ("forged gateway key", "Bearer gw_" + new string('A', 43)),
                4 => ("forged shopper key", "Bearer sh_" + new string('B', 43)),
                5 => ("wrong admin key", "Bearer " + EngineHost.AdminKey + "x"),
                6 => ("basic auth", "Basic dXNlcjpwYXNz"),
                _ => WrongRole(Pick([.. wrongRoles], random)),
            };

            (string, string?) WrongRole(string wrong) => ($"{wrong}'s key", "Bearer " + KeyOf(wrong));
        }

        public (JsonNode? Json, string? Text, IReadOnlyList<string> Required) Template(RouteUnderTest route)
        {
            var uuid = StoreUuid;
            var offer = new JsonObject
            {
                ["storeId"] = _store.StoreId, ["zoneIds"] = new JsonArray("dairy"), ["title"] = "Hijack", ["description"] = "x",
                ["discount"] = new JsonObject { ["kind"] = "percent", ["value"] = 99 }, ["minDwellSeconds"] = 0, ["maxPerShopper"] = 5,
                ["budget"] = new JsonObject { ["maxCoupons"] = 1000 }, ["couponTtlMinutes"] = 60, ["holdoutShare"] = 0,
            };
            string[] offerRequired = ["storeId", "zoneIds", "title", "discount", "discount.kind", "discount.value"];
            return (route.Method, route.Pattern) switch
            {
                ("PUT", "/api/v1/stores/{storeId}") => (JsonNode.Parse("""{"name":"Hijacked","timeZone":"Europe/Warsaw","zones":[{"id":"dairy","name":"Dairy","kind":"aisle","neighbors":["snacks"]},{"id":"snacks","name":"Snacks"}]}"""),
                    null, ["name", "zones", "zones[0].id"]),
                ("POST", "/api/v1/stores/{storeId}/gateways") => (JsonNode.Parse("""{"gatewayId":"gw-hostile","zoneId":"dairy","rssiOffset":2.5}"""), null, ["gatewayId", "zoneId"]),
                ("POST", "/api/v1/stores/{storeId}/redemptions") => (new JsonObject { ["code"] = _couponCodeS }, null, ["code"]),
                ("POST", "/api/v1/brands") => (JsonNode.Parse("""{"brandId":"brand-hostile","name":"Hostile"}"""), null, ["brandId", "name"]),
                ("POST", "/api/v1/offers") or ("PUT", "/api/v1/offers/{offerId}") => (offer, null, offerRequired),
                ("POST", "/api/v1/shoppers") => (new JsonObject { ["storeId"] = _store.StoreId, ["consent"] = new JsonObject { ["proximity"] = true, ["offers"] = true } },
                    null, ["storeId", "consent"]),
                ("PUT", "/api/v1/me/consent") => (JsonNode.Parse("""{"proximity":false,"offers":false}"""), null, ["proximity", "offers"]),
                ("POST", "/api/v1/sightings") => (JsonNode.Parse($$$"""{"gatewayId":"gw-dairy","sightings":[{"ts":"2026-01-01T00:00:00Z","rssi":-60,"ibeacon":{"uuid":"{{{uuid}}}","major":65000,"minor":7}}]}"""),
                    null, ["sightings"]),
                ("POST", "/api/v1/sightings/minew") => (JsonNode.Parse("""[{"type":"Gateway","mac":"AC233FC0BC43"},{"type":"iBeacon","mac":"AC233F8C7CEE","rssi":-60,"ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":1,"ibeaconMinor":2}]"""),
                    null, []),
                ("POST", "/api/v1/sightings/ingics") => (null, "$GPRP,AC233FA00001,AC233F000002,-60,0201061AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E000010002C5\n", []),
                _ => (null, null, []),
            };
        }

        /// <summary>The valid requests made during the fuzz: three gateways, five offers, and shopper W placed in dairy.</summary>
        public List<Func<Task<string?>>> ValidRequests()
        {
            var requests = new List<Func<Task<string?>>>();
            for (var i = 0; i < 3; i++)
            {
                var gatewayId = $"gw-valid-{i}";
                requests.Add(async () =>
                {
                    var response = await _store.Admin.PostAsJsonAsync($"/api/v1/stores/{_store.StoreId}/gateways", new { gatewayId, zoneId = "snacks" });
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        return $"{gatewayId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    }

                    var key = (await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
                    lock (_validGatewayKeys)
                    {
                        _validGatewayKeys.Add(key);
                    }

                    return null;
                });
            }

            for (var i = 0; i < 5; i++)
            {
                var title = $"valid-{i}";
                requests.Add(async () =>
                {
                    var id = await _store.CreateOfferAsync("snacks", title: title);
                    lock (_validOfferIds)
                    {
                        _validOfferIds.Add(id);
                    }

                    return null;
                });
            }

            requests.Add(async () =>
            {
                var result = await _store.PostSightingsAsync("gw-dairy", Scenario.Approach(_shopperW));
                return result["accepted"]!.GetValue<int>() == 3 ? null : $"W's sightings: {result}";
            });
            return requests;
        }

        /// <summary>Ids whose rows the valid requests write: the store (its layout and gateways), brand A, the new offers and gateways, W and W's coupon, S (whose stay times out).</summary>
        public IReadOnlyList<string> TouchedKeys() =>
            [_store.StoreId, _offerA, _shopperW.ShopperId, _shopperS.ShopperId, .. _validOfferIds, .. _validGatewayKeys.Select(AccessKeysHash), .. _touchedCodes];

        private readonly List<string> _touchedCodes = [];

        public async Task<Views> ViewsAsync()
        {
            using var s = _store.Host.CreateClient(_shopperS.Token);
            using var t = _store.Host.CreateClient(_shopperT.Token);
            return new Views(
                await Text(_store.Admin, $"/api/v1/stores/{_store.StoreId}"),
                await Text(_store.Brands["brand-a"], "/api/v1/offers"),
                await Text(_brandB, "/api/v1/offers"),
                await Text(_brandB, $"/api/v1/offers/{_offerB}/stats"),
                await Text(s, "/api/v1/me/wallet"),
                await Text(s, "/api/v1/me"),
                await Text(t, "/api/v1/me"),
                await Text(t, "/api/v1/me/wallet"),
                await Text(_store.Admin, $"/api/v1/stores/{_store.StoreId}/shoppers/{_shopperT.ShopperId}/trail"));
        }

        public async Task AssertValidEffectsAsync(Views before)
        {
            var after = await ViewsAsync();

            // The store: the same layout, plus exactly the three valid gateways.
            var store = JsonNode.Parse(after.Store)!.AsObject();
            var gateways = store["gateways"]!.AsArray();
            Assert.Equal(["gw-dairy", "gw-snacks", "gw-valid-0", "gw-valid-1", "gw-valid-2"], gateways.Select(g => g!["gatewayId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            foreach (var valid in gateways.Where(g => g!["gatewayId"]!.GetValue<string>().StartsWith("gw-valid-", StringComparison.Ordinal)).ToList())
            {
                gateways.Remove(valid);
            }

            var storeBefore = JsonNode.Parse(before.Store)!.AsObject();
            storeBefore["gateways"] = new JsonArray([.. storeBefore["gateways"]!.AsArray().Select(g => g!.DeepClone()).OrderBy(g => g["gatewayId"]!.GetValue<string>(), StringComparer.Ordinal)]);
            store["gateways"] = new JsonArray([.. gateways.Select(g => g!.DeepClone()).OrderBy(g => g["gatewayId"]!.GetValue<string>(), StringComparer.Ordinal)]);
            Assert.Equal(storeBefore.ToJsonString(), store.ToJsonString());

            // Brand A: its offer unchanged, plus exactly the five valid ones. Brand B: untouched.
            var offersBefore = JsonNode.Parse(before.BrandAOffers)!["offers"]!.AsArray();
            var offersAfter = JsonNode.Parse(after.BrandAOffers)!["offers"]!.AsArray();
            Assert.Equal(offersBefore.Select(o => o!.ToJsonString()).Order(StringComparer.Ordinal),
                offersAfter.Where(o => !_validOfferIds.Contains(o!["offerId"]!.GetValue<string>())).Select(o => o!.ToJsonString()).Order(StringComparer.Ordinal));
            Assert.Equal(["valid-0", "valid-1", "valid-2", "valid-3", "valid-4"],
                offersAfter.Where(o => _validOfferIds.Contains(o!["offerId"]!.GetValue<string>())).Select(o => o!["title"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            Assert.Equal(before.BrandBOffers, after.BrandBOffers);
            Assert.Equal(before.BrandBStats, after.BrandBStats);

            // S keeps her one coupon, unredeemed and not dismissed; T is as she was; W got brand A's dairy coupon.
            Assert.Equal(before.WalletS, after.WalletS);
            Assert.Equal(before.ProfileS, after.ProfileS);
            Assert.Equal(before.ProfileT, after.ProfileT);
            Assert.Equal(before.WalletT, after.WalletT);
            Assert.Equal(before.TrailT, after.TrailT);
            using var w = _store.Host.CreateClient(_shopperW.Token);
            var walletW = JsonNode.Parse(await Text(w, "/api/v1/me/wallet"))!["coupons"]!.AsArray();
            Assert.Equal(_offerA, Assert.Single(walletW)!["offerId"]!.GetValue<string>());
            _touchedCodes.Add(walletW[0]!["code"]!.GetValue<string>());
            _touchedCodes.Add(walletW[0]!["couponId"]!.GetValue<string>());
            var stats = JsonNode.Parse(await Text(_store.Brands["brand-a"], $"/api/v1/offers/{_offerA}/stats"))!;
            Assert.Equal((2, 0), (stats["issued"]!.GetValue<int>(), stats["redeemed"]!.GetValue<int>()));
        }

        private static string AccessKeysHash(string key) => AccessKeys.Hash(key);

        private static async Task<string> Text(HttpClient client, string path)
        {
            var response = await client.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
            return text;
        }
    }

    private sealed record Views(string Store, string BrandAOffers, string BrandBOffers, string BrandBStats, string WalletS, string ProfileS, string ProfileT, string WalletT, string TrailT);
}
