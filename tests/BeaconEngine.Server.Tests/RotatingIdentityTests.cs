using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Proximity.Rotation;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// Rotating identities over the real server: enrolment hands out the secret once, the app's derivation is the
/// server's, live and within-tolerance sightings place the shopper, replays move no one and are counted in the
/// gateway's health, Eddystone-EID resolves like iBeacon, the database alone holds no secret, erasure removes it.
/// </summary>
[Collection(SharedEngineB.Name)]
public sealed class RotatingIdentityTests(EngineFixture fixture)
{
    private EngineHost Host => fixture.Host;

    [Fact]
    public async Task A_rotating_store_hands_out_a_secret_once_and_the_apps_derivation_is_the_servers()
    {
        using var store = await RotatingStoreAsync();
        var (shopper, secret, body) = await EnrolAsync(store);
        var uuid = Guid.Parse(shopper.Uuid);

        var rotation = body["rotation"]!;
        Assert.Equal(RotatingIdentity.DefaultPeriodSeconds, rotation["periodSeconds"]!.GetValue<int>());
        Assert.Equal("hmac-sha256-v1", rotation["scheme"]!.GetValue<string>());
        Assert.True(RotatingIdentity.IsRotating((ushort)shopper.Major));

        using var app = Host.CreateClient(shopper.Token);
        var at = DateTimeOffset.Parse("2026-01-11T00:05:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var answer = await Scenario.Expect(await app.GetAsync($"/api/v1/me/advertisement?at={at.ToUnixTimeMilliseconds()}"), HttpStatusCode.OK);
        var expected = RotatingIdentity.Derive(secret, uuid, 2946816);
        Assert.Equal(expected.Major, answer["major"]!.GetValue<int>());
        Assert.Equal(expected.Minor, answer["minor"]!.GetValue<int>());
        Assert.Equal("2026-01-11T00:00:00Z", answer["validFrom"]!.GetValue<string>().Replace(".000", "", StringComparison.Ordinal));
        Assert.Equal("2026-01-11T00:10:00Z", answer["validUntil"]!.GetValue<string>().Replace(".000", "", StringComparison.Ordinal));
        var iso = await Scenario.Expect(await app.GetAsync("/api/v1/me/advertisement?at=2026-01-11T00:05:00Z"), HttpStatusCode.OK);
        Assert.Equal(answer.ToJsonString(), iso.ToJsonString());
        await Scenario.ExpectProblem(await app.GetAsync("/api/v1/me/advertisement?at=soon"), HttpStatusCode.BadRequest);

        // The store says what it hands out; a static store's identity has no end.
        var described = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK);
        Assert.Equal("rotating", described["identity"]!.GetValue<string>());
        using var plain = await Scenario.CreateAsync(Host);
        var fixedShopper = await plain.EnrolAsync();
        using var fixedApp = Host.CreateClient(fixedShopper.Token);
        var fixedAnswer = await Scenario.Expect(await fixedApp.GetAsync("/api/v1/me/advertisement"), HttpStatusCode.OK);
        Assert.Equal(fixedShopper.Minor, fixedAnswer["minor"]!.GetValue<int>());
        Assert.Null(fixedAnswer["validUntil"]);
        await Scenario.ExpectProblem(
            await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", Layout("sometimes")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_replay_after_the_tolerance_moves_no_one_and_is_counted_while_one_within_it_is_live()
    {
        using var store = await RotatingStoreAsync();
        var (replayed, replayedSecret, _) = await EnrolAsync(store);
        var (live, liveSecret, _) = await EnrolAsync(store);
        var uuid = Guid.Parse(replayed.Uuid);
        var now = DateTimeOffset.UtcNow;
        var period = RotatingIdentity.PeriodOf(now, RotatingIdentity.DefaultPeriodSeconds);

        // Captured two periods ago (beyond the one-period tolerance) and played to a gateway now.
        var captured = RotatingIdentity.Derive(replayedSecret, uuid, period - 2);
        var replay = await store.PostSightingsAsync("gw-dairy", Approach(uuid, captured, now.AddSeconds(-2)));
        Assert.Equal(0, replay["accepted"]!.GetValue<int>());
        Assert.Equal(3, replay["dropped"]!.GetValue<int>());

        // The other shopper's phone runs a period behind: within the tolerance, so live.
        var behind = RotatingIdentity.Derive(liveSecret, uuid, period - 1);
        Assert.Equal(3, (await store.PostSightingsAsync("gw-snacks", Approach(uuid, behind, now.AddSeconds(-2))))["accepted"]!.GetValue<int>());

        var health = await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-dairy");
        Assert.Equal(3, GatewayHealthReader.Count(health, "replays"));
        Assert.Equal(3, GatewayHealthReader.Count(health, "dropped"));
        Assert.Equal(0, GatewayHealthReader.Count(health, "accepted"));
        Assert.Equal(0, GatewayHealthReader.Count(await GatewayHealthReader.ReadAsync(store.Admin, store.StoreId, "gw-snacks"), "replays"));

        var liveTrail = await Eventually.WaitAsync(() => TrailAsync(store, live.ShopperId), t => t.Count > 0, what: "the live shopper placed in snacks");
        Assert.Equal("snacks", liveTrail[0]!["zoneId"]!.GetValue<string>());
        Assert.Empty(await TrailAsync(store, replayed.ShopperId));
    }

    [Fact]
    public async Task Eddystone_eid_frames_resolve_like_the_ibeacon_identity()
    {
        using var store = await RotatingStoreAsync();
        var (shopper, secret, _) = await EnrolAsync(store);
        var now = DateTimeOffset.UtcNow;
        var identity = RotatingIdentity.Derive(secret, Guid.Parse(shopper.Uuid), RotatingIdentity.PeriodOf(now, RotatingIdentity.DefaultPeriodSeconds));

        // Flags, the Eddystone service UUID, then service data: EID frame (0x30), TX power, the 8-byte EID.
        var frame = $"020106 0303AAFE 0D16AAFE30EC{identity.Eid:X16}".Replace(" ", "", StringComparison.Ordinal);
        var forged = $"020106 0303AAFE 0D16AAFE30EC{identity.Eid ^ 0xFF:X16}".Replace(" ", "", StringComparison.Ordinal);
        var answer = await store.PostSightingsAsync("gw-dairy", [
            .. Enumerable.Range(0, 3).Select(i => (object)new { ts = now.AddMilliseconds((500 * i) - 2000).ToUnixTimeMilliseconds(), rssi = -60, rawData = frame }),
            new { ts = now.AddSeconds(-1).ToUnixTimeMilliseconds(), rssi = -60, rawData = forged },
        ]);

        Assert.Equal(3, answer["accepted"]!.GetValue<int>());
        Assert.Equal(1, answer["dropped"]!.GetValue<int>());
        var trail = await Eventually.WaitAsync(() => TrailAsync(store, shopper.ShopperId), t => t.Count > 0, what: "the shopper placed in dairy");
        Assert.Equal("dairy", trail[0]!["zoneId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_database_alone_holds_no_secret_and_erasure_removes_the_sealed_one()
    {
        using var store = await RotatingStoreAsync();
        var (shopper, secret, _) = await EnrolAsync(store);
        var roster = Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRotationRosterGrain>(store.StoreId);
        Assert.NotNull(await roster.GetSealedSecret(shopper.ShopperId));

        // Read the storage as a copy of it would be read: every file of the data folder but the key.
        var stored = Directory.EnumerateFiles(Host.DataPath, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("rotation.key", StringComparison.Ordinal))
            .Select(ReadShared)
            .ToList();
        Assert.NotEmpty(stored);
        foreach (var bytes in stored)
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(secret));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret))));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(secret))));
        }

        using var app = Host.CreateClient(shopper.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync("/api/v1/me")).StatusCode);

        Assert.Null(await roster.GetSealedSecret(shopper.ShopperId));
        var now = DateTimeOffset.UtcNow;
        var current = RotatingIdentity.Derive(secret, Guid.Parse(shopper.Uuid), RotatingIdentity.PeriodOf(now, RotatingIdentity.DefaultPeriodSeconds));
        var answer = await store.PostSightingsAsync("gw-dairy", Approach(Guid.Parse(shopper.Uuid), current, now.AddSeconds(-2)));
        Assert.Equal(0, answer["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_rotation_period_is_the_stores_own_and_stays_while_its_shoppers_rotate_with_it()
    {
        using var store = await Scenario.CreateAsync(Host);
        var put = $"/api/v1/stores/{store.StoreId}";
        Assert.Contains("rotationPeriodSeconds", await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(put, Layout("rotating", 4)), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(put, Layout("rotating", 86_401)), HttpStatusCode.BadRequest);
        Assert.Equal(600, (await Scenario.Expect(await store.Admin.PutAsJsonAsync(put, Layout("rotating")), HttpStatusCode.OK))["rotationPeriodSeconds"]!.GetValue<int>());

        // With nobody rotating yet, the period may change.
        var described = await Scenario.Expect(await store.Admin.PutAsJsonAsync(put, Layout("rotating", 60)), HttpStatusCode.OK);
        Assert.Equal(60, described["rotationPeriodSeconds"]!.GetValue<int>());
        var (shopper, secret, body) = await EnrolAsync(store);
        Assert.Equal(60, body["rotation"]!["periodSeconds"]!.GetValue<int>());
        var uuid = Guid.Parse(shopper.Uuid);
        var now = DateTimeOffset.UtcNow;
        using var app = Host.CreateClient(shopper.Token);
        var answer = await Scenario.Expect(await app.GetAsync($"/api/v1/me/advertisement?at={now.ToUnixTimeMilliseconds()}"), HttpStatusCode.OK);
        var current = RotatingIdentity.Derive(secret, uuid, RotatingIdentity.PeriodOf(now, 60));
        Assert.Equal(current.Major, answer["major"]!.GetValue<int>());
        Assert.Equal(TimeSpan.FromSeconds(60), answer["validUntil"]!.GetValue<DateTimeOffset>() - answer["validFrom"]!.GetValue<DateTimeOffset>());

        // The gateway resolves the 60-second period's identity; the 10-minute one's would be a stranger.
        var stale = RotatingIdentity.Derive(secret, uuid, RotatingIdentity.PeriodOf(now, 600));
        Assert.Equal(0, (await store.PostSightingsAsync("gw-snacks", Approach(uuid, stale, now.AddSeconds(-2))))["accepted"]!.GetValue<int>());
        Assert.Equal(3, (await store.PostSightingsAsync("gw-dairy", Approach(uuid, current, now.AddSeconds(-2))))["accepted"]!.GetValue<int>());

        // Its app derives with 60 s: the period stays while it rotates, even when new shoppers get static identities.
        var refusal = await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(put, Layout("rotating", 120)), HttpStatusCode.Conflict);
        Assert.Contains("'rotationPeriodSeconds' at 60", refusal, StringComparison.Ordinal);
        await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(put, Layout("static")), HttpStatusCode.Conflict);
        Assert.Equal("static", (await Scenario.Expect(await store.Admin.PutAsJsonAsync(put, Layout("static", 60)), HttpStatusCode.OK))["identity"]!.GetValue<string>());

        // Once erased, nobody rotates with it any more.
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync("/api/v1/me")).StatusCode);
        await Scenario.Expect(await store.Admin.PutAsJsonAsync(put, Layout("rotating", 120)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_store_beacon_may_not_take_an_identity_a_rotating_phone_could_broadcast()
    {
        using var store = await RotatingStoreAsync();
        var storeUuid = (await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK))["beaconUuid"]!.GetValue<string>();
        foreach (var major in new[] { (int)RotatingIdentity.FirstMajor, 0xFFFE })
        {
            var refusal = await Scenario.ExpectProblem(
                await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/beacons", new { beaconId = $"bk-{major}", zoneId = "dairy", ibeacon = new { uuid = storeUuid, major, minor = 1 } }),
                HttpStatusCode.Conflict);
            Assert.Contains(storeUuid, refusal, StringComparison.OrdinalIgnoreCase);
        }

        // Rotating identities are only ever under the store's own UUID; the beacons' region is free to use any major.
        await Scenario.Expect(
            await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/beacons", new { beaconId = "bk-own", zoneId = "dairy", ibeacon = new { uuid = Guid.NewGuid(), major = 0x8000, minor = 1 } }),
            HttpStatusCode.Created);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task<Scenario> RotatingStoreAsync()
    {
        var store = await Scenario.CreateAsync(Host);
        await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", Layout("rotating")), HttpStatusCode.OK);
        return store;
    }

    private static object Layout(string identity, int? rotationPeriodSeconds = null) => new
    {
        name = "Test store",
        timeZone = "Europe/Warsaw",
        identity,
        rotationPeriodSeconds,
        zones = new object[]
        {
            new { id = "dairy", name = "Dairy", kind = "aisle", category = "dairy", neighbors = new[] { "snacks" } },
            new { id = "snacks", name = "Snacks", kind = "aisle", category = "snacks", neighbors = new[] { "dairy" } },
        },
    };

    private async Task<(EnrolledShopper Shopper, byte[] Secret, JsonObject Body)> EnrolAsync(Scenario store)
    {
        using var anonymous = Host.CreateClient();
        var body = await Scenario.Expect(
            await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId = store.StoreId, consent = new { proximity = true, offers = true } }), HttpStatusCode.Created);
        var ad = body["advertisement"]!;
        var shopper = new EnrolledShopper(
            body["shopperId"]!.GetValue<string>(), body["token"]!.GetValue<string>(), ad["uuid"]!.GetValue<string>(), ad["major"]!.GetValue<int>(), ad["minor"]!.GetValue<int>());
        return (shopper, Convert.FromHexString(body["rotation"]!["secret"]!.GetValue<string>()), body);
    }

    private static object[] Approach(Guid uuid, RotatedIdentity identity, DateTimeOffset start) =>
        [.. Enumerable.Range(0, 3).Select(i => (object)new
        {
            ts = start.AddMilliseconds(500 * i).ToUnixTimeMilliseconds(),
            rssi = -60,
            ibeacon = new { uuid = uuid.ToString("D"), major = (int)identity.Major, minor = (int)identity.Minor },
        })];

    private static async Task<JsonArray> TrailAsync(Scenario store, string shopperId) =>
        (await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopperId}/trail"), HttpStatusCode.OK))["transitions"]!.AsArray();
}
