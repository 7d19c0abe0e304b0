using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Cluster.Tests.Infrastructure;

namespace BeaconEngine.Cluster.Tests;

/// <summary>A calibration started on one node hears its device on the other, and its fit places shoppers on both.</summary>
public sealed class CalibrationAcrossNodesTests(PostgresTwoNodeFixture cluster) : IClassFixture<PostgresTwoNodeFixture>
{
    // In snacks the snacks gateway hears weaker than the dairy one: uncalibrated, a shopper there is placed in dairy.
    private const double DairyInDairy = -55, SnacksInDairy = -75, DairyInSnacks = -58, SnacksInSnacks = -62;

    private NodeProcess A => cluster.A;

    private NodeProcess B => cluster.B;

    [Fact]
    public async Task A_walk_started_on_A_is_heard_through_B_and_its_fit_reaches_both_nodes()
    {
        var store = await ClusterScenario.CreateAsync(A);
        using var adminA = A.CreateClient(NodeProcess.AdminKey);
        using var adminB = B.CreateClient(NodeProcess.AdminKey);

        // B reads the store before the walk exists, and may keep that view for 5 s.
        var shopper = await store.EnrolAsync(B);
        await store.PostSightingsAsync(B, "gw-dairy", ClusterScenario.Approach(shopper));

        var created = await ClusterScenario.Expect(await adminA.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/calibrations", new { }), HttpStatusCode.Created);
        var walk = created["calibrationId"]!.GetValue<string>();
        var ad = created["advertisement"]!;
        var path = $"/api/v1/stores/{store.StoreId}/calibrations/{walk}";
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);
        object[] Device(DateTimeOffset from, double rssi) => [.. Enumerable.Range(0, 60).Select(i => (object)new
        {
            ts = from.AddMilliseconds(500 * i).ToUnixTimeMilliseconds(),
            rssi,
            ibeacon = new { uuid = ad["uuid"]!.GetValue<string>(), major = ad["major"]!.GetValue<int>(), minor = ad["minor"]!.GetValue<int>() },
        })];

        // Node B learns of the walk's device well before its 5 s refresh: the first batch it takes counts.
        var heard = Stopwatch.StartNew();
        while ((await store.PostSightingsAsync(B, "gw-dairy", Device(t0, DairyInDairy)))["accepted"]!.GetValue<int>() == 0)
        {
            Assert.True(heard.Elapsed < TimeSpan.FromSeconds(4), "Node B still dropped the walk's sightings 4 s after node A started it.");
            await Task.Delay(50);
        }

        await store.PostSightingsAsync(B, "gw-snacks", Device(t0, SnacksInDairy));
        await store.PostSightingsAsync(A, "gw-dairy", Device(t0.AddSeconds(30), DairyInSnacks));
        await store.PostSightingsAsync(B, "gw-snacks", Device(t0.AddSeconds(30), SnacksInSnacks));
        await ClusterScenario.Expect(await adminB.PostAsJsonAsync($"{path}/marks", new { zoneId = "dairy", at = t0.ToUnixTimeMilliseconds() }), HttpStatusCode.OK);
        await ClusterScenario.Expect(await adminA.PostAsJsonAsync($"{path}/marks", new { zoneId = "snacks", at = t0.AddSeconds(30).ToUnixTimeMilliseconds() }), HttpStatusCode.OK);
        var report = await ClusterScenario.Expect(await adminB.PostAsync($"{path}/fit", null), HttpStatusCode.OK);
        Assert.Equal(4, report["gatewayCorrections"]!["gw-snacks"]!.GetValue<double>());
        Assert.Equal(walk, (await ClusterScenario.Expect(await adminA.GetAsync($"/api/v1/stores/{store.StoreId}/calibration"), HttpStatusCode.OK))["calibrationId"]!.GetValue<string>());

        // Shoppers standing in snacks, reported through either node, are placed there with the calibration.
        foreach (var node in new[] { A, B, A, B })
        {
            var standing = await store.EnrolAsync(node);
            var from = DateTimeOffset.UtcNow.AddSeconds(-20);
            for (var s = 0; s < 10; s++)
            {
                foreach (var (gateway, rssi) in new[] { ("gw-dairy", DairyInSnacks), ("gw-snacks", SnacksInSnacks) })
                {
                    await store.PostSightingsAsync(node, gateway, [.. Enumerable.Range(0, 2).Select(i => (object)new
                    {
                        ts = from.AddSeconds(s).AddMilliseconds(500 * i).ToUnixTimeMilliseconds(),
                        rssi,
                        ibeacon = new { uuid = standing.Uuid, major = standing.Major, minor = standing.Minor },
                    })]);
                }
            }

            var trail = await store.TrailAsync(node == A ? B : A, standing);
            Assert.Equal("snacks", trail[^1]!["zoneId"]!.GetValue<string>());
        }
    }
}
