using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Gateway.Calibration;
using BeaconEngine.Proximity.Evaluation;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Gateway.Tests;

/// <summary>
/// <c>beaconengine-gateway calibrate</c> replays a slice of the real Kolakowski 2021 robot walk (CC BY 4.0,
/// doi:10.5281/zenodo.5457591) against the real server as a calibration walk, its x, y placed on the store's
/// layout by the gateways' positions.
/// </summary>
public sealed class CalibrateCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "beaconengine-calibrate-tests", Guid.NewGuid().ToString("N"));

    public CalibrateCommandTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task A_slice_of_the_robot_walk_replayed_as_a_calibration_walk_is_fitted_into_the_stores_calibration()
    {
        var data = SharedData.Folder("kolakowski2021");
        var recording = KolakowskiRecording.Load(data, "test_robot_df.csv");
        var slice = Path.Combine(_folder, "slice.csv");
        await File.WriteAllLinesAsync(slice, File.ReadLines(Path.Combine(data, "test_robot_df.csv")).Take(201));

        await using var host = await EngineHost.StartAsync();
        using var admin = host.CreateClient(EngineHost.AdminKey);
        var storeId = $"flat-{Guid.NewGuid():N}"[..16];
        var neighbours = recording.CellNeighbours().ToList();
        await Scenario.Expect(await admin.PutAsJsonAsync($"/api/v1/stores/{storeId}", new
        {
            name = "Kolakowski flat",
            zones = recording.Anchors.Select(a => new
            {
                id = $"zone-{a.Id}",
                neighbors = neighbours.Where(p => p.A == a.Id).Select(p => $"zone-{p.B}").ToArray(),
            }),
        }), HttpStatusCode.OK);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var anchor in recording.Anchors)
        {
            var created = await Scenario.Expect(await admin.PostAsJsonAsync($"/api/v1/stores/{storeId}/gateways", new
            {
                gatewayId = $"rx-{anchor.Id}",
                zoneId = $"zone-{anchor.Id}",
                position = new { x = anchor.X, y = anchor.Y },
            }), HttpStatusCode.Created);
            keys[$"rx-{anchor.Id}"] = created["key"]!.GetValue<string>();
        }

        var options = new CalibrateOptions { Url = host.BaseAddress.ToString(), OperatorKey = EngineHost.AdminKey, StoreId = storeId, Recording = slice, GatewayKeys = keys };
        options.Validate();
        using var http = new HttpClient();
        var output = new StringWriter();
        var report = await new CalibrationReplay(options, http, output, TimeProvider.System).RunAsync(CancellationToken.None);

        // Every reading of the slice was labelled by the nearest receiver to the robot's true position, as the dataset's ground truth.
        var rows = recording.Rows.Take(200).ToList();
        var expected = rows.SelectMany(r => r.Rssi.Where(v => v is not null).Select(_ => $"zone-{recording.Nearest(r.X!.Value, r.Y!.Value).Id}"))
            .GroupBy(z => z).ToDictionary(g => g.Key, g => g.Count());
        var samples = report["samplesPerZone"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());
        Assert.Equal(expected.OrderBy(p => p.Key), samples.OrderBy(p => p.Key));
        Assert.Equal(6 - expected.Count, report["zonesNotCovered"]!.AsArray().Count);
        Assert.InRange(report["accuracyAfter"]!.GetValue<double>(), 0.5, 1);

        var active = await Scenario.Expect(await admin.GetAsync($"/api/v1/stores/{storeId}/calibration"), HttpStatusCode.OK);
        Assert.Equal(report["calibrationId"]!.GetValue<string>(), active["calibrationId"]!.GetValue<string>());
        var text = output.ToString();
        Assert.Contains("major 65535", text, StringComparison.Ordinal);
        Assert.Contains($"{samples.Values.Sum()} sightings taken by the walk", text, StringComparison.Ordinal);
        Assert.Contains("Fitted: right", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calibrated_by_the_agent_on_calibration_walk1_the_server_places_the_robot_walks_shopper_no_worse_than_uncalibrated()
    {
        var data = SharedData.Folder("kolakowski2021");
        var robot = KolakowskiRecording.Load(data, "test_robot_df.csv");
        await using var host = await EngineHost.StartAsync();
        using var admin = host.CreateClient(EngineHost.AdminKey);
        var (storeId, keys) = await FlatAsync(admin, robot);

        var uncalibrated = await ReplayAsShopperAsync(host, storeId, keys, robot, DateTimeOffset.UtcNow.AddMinutes(-20));

        var options = new CalibrateOptions
        {
            Url = host.BaseAddress.ToString(), OperatorKey = EngineHost.AdminKey, StoreId = storeId,
            Recording = Path.Combine(data, "calibration_walk1.csv"), GatewayKeys = keys,
        };
        using var http = new HttpClient();
        var report = await new CalibrationReplay(options, http, TextWriter.Null, TimeProvider.System).RunAsync(CancellationToken.None);
        Assert.Equal(["zone-2", "zone-5"], report["zonesNotCovered"]!.AsArray().Select(z => z!.GetValue<string>()));

        var calibrated = await ReplayAsShopperAsync(host, storeId, keys, robot, DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.True(calibrated >= uncalibrated, $"calibrated {calibrated:P1} against uncalibrated {uncalibrated:P1}");
        Assert.True(calibrated >= 0.75, $"calibrated {calibrated:P1} (uncalibrated {uncalibrated:P1})");
    }

    [Fact]
    public async Task A_recording_the_layout_cannot_place_is_refused_with_what_to_add()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        var csv = Path.Combine(_folder, "walk.csv");
        await File.WriteAllLinesAsync(csv, [",ts,x,heading,y,rssi_1", "0,1.628008099976e+18,0.6,5.2,5.8,-60.0"]);
        var options = new CalibrateOptions
        {
            Url = host.BaseAddress.ToString(), OperatorKey = EngineHost.AdminKey, StoreId = store.StoreId, Recording = csv,
            Gateways = { ["1"] = "gw-dairy" }, GatewayKeys = { ["gw-dairy"] = store.GatewayKeys["gw-dairy"] },
        };
        using var http = new HttpClient();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new CalibrationReplay(options, http, TextWriter.Null, TimeProvider.System).RunAsync(CancellationToken.None));
        Assert.Contains("no zone shapes and no gateway positions", error.Message, StringComparison.Ordinal);

        await File.WriteAllLinesAsync(csv, [",ts,zone,rssi_1", "0,1.628008099976e+18,frozen,-60.0"]);
        error = await Assert.ThrowsAsync<InvalidDataException>(() => new CalibrationReplay(options, http, TextWriter.Null, TimeProvider.System).RunAsync(CancellationToken.None));
        Assert.Contains("zone 'frozen'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A store laid out as the dataset's flat: a zone per receiver, neighbours by the receivers' cells, gateways at the receivers' positions.</summary>
    private static async Task<(string StoreId, Dictionary<string, string> Keys)> FlatAsync(HttpClient admin, KolakowskiRecording recording)
    {
        var storeId = $"flat-{Guid.NewGuid():N}"[..16];
        var neighbours = recording.CellNeighbours().ToList();
        await Scenario.Expect(await admin.PutAsJsonAsync($"/api/v1/stores/{storeId}", new
        {
            name = "Kolakowski flat",
            zones = recording.Anchors.Select(a => new
            {
                id = $"zone-{a.Id}",
                neighbors = neighbours.Where(p => p.A == a.Id).Select(p => $"zone-{p.B}").ToArray(),
            }),
        }), HttpStatusCode.OK);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var anchor in recording.Anchors)
        {
            var created = await Scenario.Expect(await admin.PostAsJsonAsync($"/api/v1/stores/{storeId}/gateways", new
            {
                gatewayId = $"rx-{anchor.Id}",
                zoneId = $"zone-{anchor.Id}",
                position = new { x = anchor.X, y = anchor.Y },
            }), HttpStatusCode.Created);
            keys[$"rx-{anchor.Id}"] = created["key"]!.GetValue<string>();
        }

        return (storeId, keys);
    }

    /// <summary>
    /// A new shopper carries the recording's tag: each receiver's readings of each second go as that gateway's batch,
    /// moved to end at <paramref name="endAt"/>. The share of rows whose time falls in a stay of the trail in the row's true zone.
    /// </summary>
    private static async Task<double> ReplayAsShopperAsync(EngineHost host, string storeId, Dictionary<string, string> keys, KolakowskiRecording walk, DateTimeOffset endAt)
    {
        using var anonymous = host.CreateClient();
        var enrolled = await Scenario.Expect(await anonymous.PostAsJsonAsync("/api/v1/shoppers", new { storeId, consent = new { proximity = true, offers = false } }), HttpStatusCode.Created);
        var ad = enrolled["advertisement"]!;
        var shift = endAt - walk.Rows[^1].At;
        long Ms(DateTimeOffset at) => (at + shift).ToUnixTimeMilliseconds();
        var gateways = keys.ToDictionary(k => k.Key, k => host.CreateClient(k.Value));
        try
        {
            var first = walk.Rows[0].At;
            foreach (var second in walk.Rows.GroupBy(r => (long)(r.At - first).TotalSeconds))
            {
                for (var i = 0; i < walk.Anchors.Count; i++)
                {
                    var gatewayId = $"rx-{walk.Anchors[i].Id}";
                    var sightings = second.Where(r => r.Rssi[i] is not null)
                        .Select(r => new { ts = Ms(r.At), rssi = Math.Round(r.Rssi[i]!.Value, 2), ibeacon = new { uuid = ad["uuid"]!.GetValue<string>(), major = ad["major"]!.GetValue<int>(), minor = ad["minor"]!.GetValue<int>() } })
                        .ToArray();
                    if (sightings.Length > 0)
                    {
                        await Scenario.Expect(await gateways[gatewayId].PostAsJsonAsync("/api/v1/sightings", new { gatewayId, sightings }), HttpStatusCode.Accepted);
                    }
                }
            }
        }
        finally
        {
            foreach (var client in gateways.Values)
            {
                client.Dispose();
            }
        }

        using var admin = host.CreateClient(EngineHost.AdminKey);
        var trail = await Scenario.Expect(await admin.GetAsync($"/api/v1/stores/{storeId}/shoppers/{enrolled["shopperId"]!.GetValue<string>()}/trail"), HttpStatusCode.OK);
        var stays = trail["transitions"]!.AsArray().Select(t => (
            Zone: t!["zoneId"]?.GetValue<string>(),
            From: DateTimeOffset.Parse(t["enteredAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
            To: t["exitedAt"] is { } x ? DateTimeOffset.Parse(x.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() : long.MaxValue)).ToList();
        var right = walk.Rows.Count(r =>
        {
            var at = Ms(r.At);
            return stays.LastOrDefault(s => s.From <= at && at < s.To).Zone == $"zone-{walk.Nearest(r.X!.Value, r.Y!.Value).Id}";
        });
        return (double)right / walk.Rows.Count;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
