using System.Net;
using System.Net.Http.Json;
using System.Text;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>A server with the diagnostics switched on and the floor route, as the simulator starts it.</summary>
public sealed class DiagnosticsEngineFixture : IAsyncLifetime
{
    public EngineHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await EngineHost.StartAsync(null, "--diagnostics", "--baseline");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The routes the simulator measures with, served only with the diagnostics switched on (a default start
/// answers 404: <see cref="ObservabilityTests"/>): the bare-transport floor (also needs --baseline), the
/// operator's memory diagnostics and the engine's share of coupon latency.
/// </summary>
public sealed class BenchmarkRoutesTests(DiagnosticsEngineFixture fixture) : IClassFixture<DiagnosticsEngineFixture>
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task The_floor_pushes_straight_to_the_shopper_heard_and_touches_nothing_else()
    {
        var host = Host;
        using var store = await Scenario.CreateAsync(host);
        var alice = await store.EnrolAsync();
        var bob = await store.EnrolAsync();
        await using var alicePhone = await ShopperApp.ConnectAsync(host.BaseAddress, alice.Token, HubProtocol.MessagePack);
        await using var bobPhone = await ShopperApp.ConnectAsync(host.BaseAddress, bob.Token, HubProtocol.MessagePack);

        using var gateway = host.CreateClient(store.GatewayKeys["gw-dairy"]);
        var response = await gateway.PostAsJsonAsync("/api/v1/baseline/sightings", new { gatewayId = "gw-dairy", sightings = Scenario.Approach(alice) });
        var answer = await Scenario.Expect(response, HttpStatusCode.Accepted);
        Assert.Equal(3, answer["accepted"]!.GetValue<int>());
        Assert.Equal(1, answer["pushed"]!.GetValue<int>());

        var push = await alicePhone.NextCouponAsync();
        Assert.StartsWith("baseline-", push.CouponId, StringComparison.Ordinal);
        Assert.Equal("gw-dairy", push.ZoneId);

        // No engine in between: nothing placed, nothing in the wallet, and Bob heard nothing.
        using var aliceApi = host.CreateClient(alice.Token);
        var wallet = await Scenario.Expect(await aliceApi.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
        Assert.Empty(wallet["coupons"]!.AsArray());
        // Bob's connection delivers in order: had Alice's push reached him, it would come before his own.
        await Scenario.Expect(await gateway.PostAsJsonAsync("/api/v1/baseline/sightings", new { gatewayId = "gw-dairy", sightings = Scenario.Approach(bob) }), HttpStatusCode.Accepted);
        Assert.Equal("gw-dairy", (await bobPhone.NextCouponAsync()).ZoneId);
        Assert.Empty(bobPhone.Drain());
        Assert.Empty(alicePhone.Drain());

        // Bad input is a problem, and only gateways may call it.
        var bad = await gateway.PostAsync("/api/v1/baseline/sightings", new StringContent("{\"sightings\": [", Encoding.UTF8, "application/json"));
        await Scenario.ExpectProblem(bad, HttpStatusCode.BadRequest);
        var notArray = await gateway.PostAsJsonAsync("/api/v1/baseline/sightings", new { sightings = 5 });
        await Scenario.ExpectProblem(notArray, HttpStatusCode.BadRequest);
        var asBrand = await store.Brands["brand-a"].PostAsJsonAsync("/api/v1/baseline/sightings", new { sightings = Scenario.Approach(alice) });
        Assert.Equal(HttpStatusCode.Forbidden, asBrand.StatusCode);
        using var anonymous = host.CreateClient();
        var noKey = await anonymous.PostAsJsonAsync("/api/v1/baseline/sightings", new { sightings = Scenario.Approach(alice) });
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }

    [Fact]
    public async Task Diagnostics_count_live_grains_and_are_for_operators_only()
    {
        var host = Host;
        using var store = await Scenario.CreateAsync(host);
        var alice = await store.EnrolAsync();

        // A sighting through the engine activates the shopper's grain; diagnostics count it.
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(alice));
        var diagnostics = await Scenario.Expect(await store.Admin.GetAsync("/api/v1/diagnostics"), HttpStatusCode.OK);
        Assert.True(diagnostics["managedHeapBytes"]!.GetValue<long>() > 0);
        Assert.True(diagnostics["workingSetBytes"]!.GetValue<long>() > 0);
        var activations = diagnostics["activations"]!.AsObject();
        var shopperGrains = activations.Where(a => a.Key.Contains("ShopperGrain", StringComparison.Ordinal)).Sum(a => a.Value!.GetValue<int>());
        Assert.True(shopperGrains >= 1, $"no shopper grain among {diagnostics}");

        Assert.Equal(HttpStatusCode.Forbidden, (await store.Brands["brand-a"].GetAsync("/api/v1/diagnostics")).StatusCode);
        using var aliceApi = host.CreateClient(alice.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await aliceApi.GetAsync("/api/v1/diagnostics")).StatusCode);
        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/diagnostics")).StatusCode);
    }

    [Fact]
    public async Task The_engines_share_of_coupon_latency_counts_each_coupon_a_batch_caused_and_starts_afresh_on_reset()
    {
        var host = Host;
        using var store = await Scenario.CreateAsync(host);
        await store.CreateOfferAsync("dairy");
        var alice = await store.EnrolAsync();
        await using var phone = await ShopperApp.ConnectAsync(host.BaseAddress, alice.Token, HubProtocol.MessagePack);
        Assert.Equal(HttpStatusCode.NoContent, (await store.Admin.DeleteAsync("/api/v1/diagnostics/coupon-latency")).StatusCode);

        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(alice));
        await phone.NextCouponAsync();
        var latency = await Scenario.Expect(await store.Admin.GetAsync("/api/v1/diagnostics/coupon-latency"), HttpStatusCode.OK);
        Assert.Equal(1, latency["count"]!.GetValue<long>());
        var p50 = latency["p50"]!.GetValue<double>();
        Assert.True(p50 > 0 && p50 <= latency["max"]!.GetValue<double>(), latency.ToJsonString());

        // The share, stage by stage, each stage once for the one coupon.
        var stages = latency["stages"]!.AsObject();
        Assert.Equal(["fanOut", "presence", "push", "read", "reserve", "wallet"], stages.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.All(stages, s => Assert.Equal(1, s.Value!["count"]!.GetValue<long>()));

        Assert.Equal(HttpStatusCode.NoContent, (await store.Admin.DeleteAsync("/api/v1/diagnostics/coupon-latency")).StatusCode);
        latency = await Scenario.Expect(await store.Admin.GetAsync("/api/v1/diagnostics/coupon-latency"), HttpStatusCode.OK);
        Assert.Equal(0, latency["count"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Forbidden, (await store.Brands["brand-a"].DeleteAsync("/api/v1/diagnostics/coupon-latency")).StatusCode);
    }

    [Fact]
    public async Task Collecting_deactivates_idle_grains_and_checks_its_input()
    {
        var host = Host;
        using var store = await Scenario.CreateAsync(host);
        await store.EnrolAsync();
        await store.EnrolAsync();
        var before = await Scenario.Expect(await store.Admin.GetAsync("/api/v1/diagnostics"), HttpStatusCode.OK);
        Assert.True(IdentityGrains(before) >= 2, $"enrolment activates the beacon identities: {before}");

        // Orleans measures idleness on its own stopwatch, not on an injectable clock: the grains must really sit idle.
        await Task.Delay(1500);
        var after = await Scenario.Expect(await store.Admin.PostAsync("/api/v1/diagnostics/collect?idleSeconds=1", null), HttpStatusCode.OK);
        Assert.Equal(0, IdentityGrains(after));

        await Scenario.ExpectProblem(await store.Admin.PostAsync("/api/v1/diagnostics/collect?idleSeconds=0", null), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Forbidden, (await store.Brands["brand-a"].PostAsync("/api/v1/diagnostics/collect", null)).StatusCode);

        static int IdentityGrains(System.Text.Json.Nodes.JsonObject diagnostics) => diagnostics["activations"]!.AsObject()
            .Where(a => a.Key.StartsWith("BeaconEngine.Grains.Shoppers.BeaconIdentityGrain,", StringComparison.Ordinal)).Sum(a => a.Value!.GetValue<int>());
    }
}
