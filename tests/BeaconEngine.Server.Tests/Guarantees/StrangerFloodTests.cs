using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Security;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// Floods a real server process with what costs a stranger nothing to make: random well-formed keys,
/// beacon identities nobody holds, anonymous enrolments. Lookups are paced and remembered, unknown keys and
/// identities leave no grain activation behind, and the managed heap (after a full collection) is back
/// within <see cref="HeapBound"/> of where it started within <see cref="Settle"/>.
/// </summary>
public sealed class StrangerFloodTests
{
    private const long HeapBound = 30L * 1024 * 1024;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Random_well_formed_keys_are_paced_remembered_and_leave_no_activation_or_memory_behind()
    {
        await RunOnServerAsync(["--BeaconEngine:RateLimits:UnknownKeys:PermitsPerSecond", "20", "--BeaconEngine:RateLimits:UnknownKeys:Burst", "200"], async (server, admin) =>
        {
            var before = await DiagnosticsAsync(admin);

            // One key is tried first: its lookup finds nobody, and it is remembered.
            var remembered = AccessKeys.New("sh");
            await Scenario.ExpectProblem(await WalletAsync(server, remembered), HttpStatusCode.Unauthorized);

            var started = DateTime.UtcNow;
            var statuses = new ConcurrentBag<HttpStatusCode>();
            using (var client = new HttpClient { BaseAddress = server.BaseAddress })
            {
                await Parallel.ForAsync(0, 3_000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, token) =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/wallet");
                    request.Headers.Authorization = new("Bearer", AccessKeys.New("sh"));
                    using var response = await client.SendAsync(request, token);
                    statuses.Add(response.StatusCode);
                });
            }

            var seconds = (DateTime.UtcNow - started).TotalSeconds;
            var looked = statuses.Count(s => s == HttpStatusCode.Unauthorized);
            var paced = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
            Assert.Equal(3_000, looked + paced);
            // The burst and the refill: a lookup takes its token before it runs, so those in flight cannot overdraw.
            Assert.True(looked <= 200 + (20 * (seconds + 1)), $"{looked} lookups in {seconds:F1} s");

            // Over its pace, the address is told so; the remembered key is still a plain 401, with no lookup.
            await Scenario.ExpectProblem(await WalletAsync(server, AccessKeys.New("sh")), HttpStatusCode.TooManyRequests);
            await Scenario.ExpectProblem(await WalletAsync(server, remembered), HttpStatusCode.Unauthorized);

            var after = await SettledAsync(admin, before, "AccessKeyGrain");
            Assert.True(Activations(after, "AccessKeyGrain") <= Activations(before, "AccessKeyGrain"), after.ToJsonString());
        });
    }

    [Fact]
    public async Task Beacon_identities_nobody_holds_are_dropped_and_leave_no_activation_or_memory_behind_while_a_shopper_still_counts()
    {
        await RunOnServerAsync(["--BeaconEngine:RateLimits:UnknownIdentities:PermitsPerSecond", "500", "--BeaconEngine:RateLimits:UnknownIdentities:Burst", "5000"], async (server, admin) =>
        {
            using var store = await Scenario.CreateAsync(EngineHost.Attach(server.BaseAddress, ""));
            var shopper = await store.EnrolAsync();
            await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, count: 1));
            var before = await DiagnosticsAsync(admin);

            // 20 batches of 1,000 strangers with the store's UUID; each batch also carries the shopper.
            var accepted = 0;
            var dropped = 0;
            var minor = 0;
            for (var batch = 0; batch < 20; batch++)
            {
                var items = Enumerable.Range(0, 1_000).Select(_ => (object)new
                {
                    rssi = -70,
                    ibeacon = new { uuid = shopper.Uuid, major = 60_000, minor = ++minor % 65_536 },
                }).Append(Scenario.Approach(shopper, count: 1)[0]);
                var answer = await store.PostSightingsAsync("gw-dairy", items);
                accepted += answer["accepted"]!.GetValue<int>();
                dropped += answer["dropped"]!.GetValue<int>();
            }

            Assert.Equal(20, accepted);
            Assert.Equal(20_000, dropped);
            var after = await SettledAsync(admin, before, "BeaconIdentityGrain");
            Assert.True(Activations(after, "BeaconIdentityGrain") <= Activations(before, "BeaconIdentityGrain"), after.ToJsonString());
        });
    }

    [Fact]
    public async Task Anonymous_enrolments_from_one_address_are_paced_and_the_operator_is_not()
    {
        await RunOnServerAsync(["--BeaconEngine:RateLimits:Enrolment:PermitsPerSecond", "5", "--BeaconEngine:RateLimits:Enrolment:Burst", "100"], async (server, admin) =>
        {
            using var store = await Scenario.CreateAsync(EngineHost.Attach(server.BaseAddress, ""));
            var started = DateTime.UtcNow;
            var statuses = new ConcurrentBag<HttpStatusCode>();
            using (var anonymous = new HttpClient { BaseAddress = server.BaseAddress })
            {
                await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, token) =>
                {
                    using var response = await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId = store.StoreId, consent = new { proximity = true, offers = true } }, token);
                    statuses.Add(response.StatusCode);
                });
            }

            var seconds = (DateTime.UtcNow - started).TotalSeconds;
            var created = statuses.Count(s => s == HttpStatusCode.Created);
            Assert.Equal(300, created + statuses.Count(s => s == HttpStatusCode.TooManyRequests));
            Assert.True(created <= 100 + (5 * (seconds + 1)), $"{created} enrolments in {seconds:F1} s");
            using var extra = new HttpClient { BaseAddress = server.BaseAddress };
            var refused = await extra.PostAsJsonAsync("/api/v1/shoppers", new { storeId = store.StoreId, consent = new { proximity = true, offers = true } });
            await Scenario.ExpectProblem(refused, HttpStatusCode.TooManyRequests);
            Assert.NotNull(refused.Headers.RetryAfter);

            // The operator's key enrols on behalf of a kiosk or the simulator without limit.
            await Scenario.Expect(await admin.PostAsJsonAsync("/api/v1/shoppers", new { storeId = store.StoreId, consent = new { proximity = true, offers = true } }), HttpStatusCode.Created);
        });
    }

    private static async Task RunOnServerAsync(string[] args, Func<ServerProcess, HttpClient, Task> test)
    {
        var data = EngineHost.NewDataPath();
        try
        {
            using var server = await ServerProcess.StartAsync(data, ["--diagnostics", .. args]);
            using var admin = new HttpClient { BaseAddress = server.BaseAddress };
            admin.DefaultRequestHeaders.Authorization = new("Bearer", EngineHost.AdminKey);
            await test(server, admin);
            Assert.False(server.HasExited, server.Output);
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    private static async Task<HttpResponseMessage> WalletAsync(ServerProcess server, string key)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var response = await client.GetAsync("/api/v1/me/wallet");
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<JsonObject> DiagnosticsAsync(HttpClient admin) =>
        await Scenario.Expect(await admin.GetAsync("/api/v1/diagnostics"), HttpStatusCode.OK);

    /// <summary>Waits until the grain type's activations and the heap are back where they were.</summary>
    private static Task<JsonObject> SettledAsync(HttpClient admin, JsonObject before, string grainType)
    {
        var heapBefore = before["managedHeapBytes"]!.GetValue<long>();
        return Eventually.WaitAsync(() => DiagnosticsAsync(admin),
            now => Activations(now, grainType) <= Activations(before, grainType) && now["managedHeapBytes"]!.GetValue<long>() < heapBefore + HeapBound,
            Settle, $"{grainType} activations and the heap to return (heap before: {heapBefore / (1024 * 1024)} MB)");
    }

    private static int Activations(JsonObject diagnostics, string grainType) =>
        diagnostics["activations"]!.AsObject().Where(p => p.Key.EndsWith(grainType, StringComparison.Ordinal)).Sum(p => p.Value!.GetValue<int>());
}
