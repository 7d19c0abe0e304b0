using System.Globalization;
using System.Net;
using BeaconEngine.Proximity.Evaluation;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// The real Kolakowski 2021 robot walk (CC BY 4.0, doi:10.5281/zenodo.5457591) replayed over
/// POST /api/v1/sightings, each receiver a gateway sending one batch a second, produces the same trail
/// as the pure resolver fed the same readings in the same order.
/// </summary>
[Collection(SharedEngineB.Name)]
public sealed class WalkReplayTests(EngineFixture fixture)
{
    [Fact]
    public async Task The_walk_replayed_over_http_gives_the_pure_resolvers_trail()
    {
        var walk = KolakowskiRecording.Load(SharedData.Folder("kolakowski2021"), "test_robot_df.csv");
        var neighbours = walk.CellNeighbours().ToList();
        var host = fixture.Host;
        using var store = await CreateStoreAsync(host, walk, neighbours);
        var shopper = await store.EnrolAsync();

        // Shifted to end just before now (a backlog older than 7 days is refused), in whole milliseconds as sent.
        var shift = DateTimeOffset.UtcNow.AddSeconds(-30) - walk.Rows[^1].At;
        var batches = Batches(walk, shift).ToList();

        var expected = new List<(string? Zone, long Entered, long? Exited)>();
        var resolver = new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Graph(walk));
        var events = new List<ProximityEvent>();
        foreach (var (gateway, readings) in batches)
        {
            events.Clear();
            foreach (var (at, rssi) in readings)
            {
                resolver.Observe(new GatewayReading(gateway, $"zone-{gateway[3..]}", rssi, at), events);
            }

            resolver.Settle(events);
            foreach (var e in events.Where(e => e.Kind != ProximityEventKind.Dwell))
            {
                Open(expected, e.Kind == ProximityEventKind.Entered ? e.ZoneId : null, e.At.ToUnixTimeMilliseconds());
            }

            var result = await store.PostSightingsAsync(gateway, readings.Select(r => (object)new
            {
                ts = r.At.ToUnixTimeMilliseconds(),
                rssi = r.Rssi,
                ibeacon = new { uuid = shopper.Uuid, major = shopper.Major, minor = shopper.Minor },
            }));
            Assert.Equal(readings.Count, result["accepted"]!.GetValue<int>());
        }

        var trail = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail"), HttpStatusCode.OK);
        var actual = trail["transitions"]!.AsArray().Select(t => (
            Zone: t!["zoneId"]?.GetValue<string>(),
            Entered: Ms(t["enteredAt"]!.GetValue<string>()),
            Exited: t["exitedAt"] is { } x ? Ms(x.GetValue<string>()) : (long?)null)).ToList();

        Assert.True(expected.Count >= 10, $"the pure resolver placed the shopper only {expected.Count} times");
        Assert.Equal(expected, actual);
    }

    /// <summary>For each second of the walk, each receiver's readings in that second, as that gateway's batch.</summary>
    private static IEnumerable<(string Gateway, List<(DateTimeOffset At, double Rssi)> Readings)> Batches(KolakowskiRecording walk, TimeSpan shift)
    {
        var first = walk.Rows[0].At;
        foreach (var second in walk.Rows.GroupBy(r => (long)(r.At - first).TotalSeconds))
        {
            for (var i = 0; i < walk.Anchors.Count; i++)
            {
                var readings = second
                    .Where(r => r.Rssi[i] is not null)
                    .Select(r => (At: DateTimeOffset.FromUnixTimeMilliseconds((r.At + shift).ToUnixTimeMilliseconds()), Rssi: Math.Round(r.Rssi[i]!.Value, 2)))
                    .ToList();
                if (readings.Count > 0)
                {
                    yield return ($"rx-{walk.Anchors[i].Id}", readings);
                }
            }
        }
    }

    private static async Task<Scenario> CreateStoreAsync(EngineHost host, KolakowskiRecording walk, List<(int A, int B)> neighbours)
    {
        var scenario = await Scenario.CreateAsync(host);
        // The scenario's own two aisles stay (their gateways stand there); the walk uses the six receivers' zones.
        var zones = walk.Anchors.Select(a => new
        {
            id = $"zone-{a.Id}",
            name = $"Receiver {a.Id}",
            neighbors = neighbours.Where(p => p.A == a.Id || p.B == a.Id).Select(p => $"zone-{(p.A == a.Id ? p.B : p.A)}").ToArray(),
        }).Concat([new { id = "dairy", name = "Dairy", neighbors = Array.Empty<string>() }, new { id = "snacks", name = "Snacks", neighbors = Array.Empty<string>() }]);
        await Scenario.Expect(await scenario.Admin.PutAsync($"/api/v1/stores/{scenario.StoreId}", System.Net.Http.Json.JsonContent.Create(new { name = "Kolakowski flat", zones })), HttpStatusCode.OK);
        foreach (var anchor in walk.Anchors)
        {
            await scenario.RegisterGatewayAsync($"rx-{anchor.Id}", $"zone-{anchor.Id}");
        }

        return scenario;
    }

    private static void Open(List<(string? Zone, long Entered, long? Exited)> trail, string? zone, long at)
    {
        if (trail.Count > 0 && trail[^1].Exited is null)
        {
            if (trail[^1].Entered == at)
            {
                trail.RemoveAt(trail.Count - 1);
            }
            else
            {
                trail[^1] = trail[^1] with { Exited = at };
            }
        }

        if (trail.Count > 0 && trail[^1].Zone == zone && trail[^1].Exited == at)
        {
            trail[^1] = trail[^1] with { Exited = null };
            return;
        }

        if (zone is not null || trail.Count > 0)
        {
            trail.Add((zone, at, null));
        }
    }

    private static long Ms(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
