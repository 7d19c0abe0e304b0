using System.Globalization;
using System.Text.Json.Nodes;

namespace BeaconEngine.Simulator;

/// <summary>
/// An installer's calibration walk through the public API, as docs/calibration.md tells it: start a
/// calibration, carry its device through every zone (moving about in each), mark each zone on arrival,
/// let the gateways send what they heard of the device (one batch per gateway per second), and fit.
/// The walk is generated in the simulated world with the same radio as the shoppers' phones and sent
/// at once, moved in time to end just before now, as the gateway agent replays a recorded walk.
/// </summary>
public sealed class CalibrationWalk(EngineApi api, StoreLayout layout, World world, SimulationOptions options, Random random)
{
    // How often the installer moves to another spot in the zone, seconds.
    private const double MoveEverySeconds = 3;

    public async Task<JsonObject> RunAsync(SimStore store)
    {
        var storePath = $"/api/v1/stores/{store.StoreId}";
        var started = await api.SendAsync(HttpMethod.Post, $"{storePath}/calibrations", api.AdminKey, new { });
        var calibrationId = started["calibrationId"]!.GetValue<string>();
        var device = started["advertisement"]!.AsObject();
        var walkPath = $"{storePath}/calibrations/{calibrationId}";

        var order = WalkOrder(layout);
        var perZone = options.CalibrationSecondsPerZone;
        var length = order.Count * perZone;
        var end = DateTimeOffset.UtcNow.AddSeconds(-2).ToUnixTimeMilliseconds();
        long At(double t) => end - (long)Math.Round((length - t) * 1000);

        // What each gateway heard, by the second of the walk it falls in.
        var heard = layout.Gateways.Select(_ => new SortedDictionary<long, List<(long Ts, int Rssi)>>()).ToArray();
        for (var z = 0; z < order.Count; z++)
        {
            var zone = order[z];
            await api.SendAsync(HttpMethod.Post, $"{walkPath}/marks", api.AdminKey, new { zoneId = zone.Id, at = At(z * perZone) });
            double x = 0, y = 0, movedAt = double.NegativeInfinity;
            for (var t = z * perZone; t < (z + 1) * perZone; t += (0.9 + (0.2 * random.NextDouble())) / options.AdvertisingHz)
            {
                if (t - movedAt >= MoveEverySeconds)
                {
                    // Anywhere in the zone but its very edges, as an installer told to move about in it would.
                    x = zone.X + (zone.Width * (0.1 + (0.8 * random.NextDouble())));
                    y = zone.Y + (zone.Height * (0.1 + (0.8 * random.NextDouble())));
                    movedAt = t;
                }

                for (var g = 0; g < layout.Gateways.Count; g++)
                {
                    if (world.Hear(g, x, y) is { } rssi)
                    {
                        var second = (long)t;
                        if (!heard[g].TryGetValue(second, out var items))
                        {
                            heard[g][second] = items = [];
                        }

                        items.Add((At(t), rssi));
                    }
                }
            }
        }

        await api.SendAsync(HttpMethod.Post, $"{walkPath}/marks", api.AdminKey, new { zoneId = (string?)null, at = At(length) + 1 });

        var sent = 0;
        for (var second = 0L; second <= (long)length; second++)
        {
            for (var g = 0; g < layout.Gateways.Count; g++)
            {
                if (!heard[g].TryGetValue(second, out var items))
                {
                    continue;
                }

                var gateway = layout.Gateways[g].Id;
                var answer = await api.SendAsync(HttpMethod.Post, "/api/v1/sightings", store.GatewayKeys[gateway], new
                {
                    gatewayId = gateway,
                    sightings = items.Select(i => new { ts = i.Ts, rssi = i.Rssi, ibeacon = device }),
                });
                sent += answer["accepted"]!.GetValue<int>();
            }
        }

        var report = await api.SendAsync(HttpMethod.Post, $"{walkPath}/fit", api.AdminKey, new { });
        report["walk"] = new JsonObject
        {
            ["zones"] = order.Count,
            ["secondsPerZone"] = perZone,
            ["sightingsTaken"] = sent,
        };
        Progress.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"Calibration walk: {order.Count} zones, {perZone:0} s each, {sent:N0} sightings taken; the fit places the walk's moments right {report["accuracyBefore"]!.GetValue<double>():P1} before, {report["accuracyAfter"]!.GetValue<double>():P1} after (cross-validated)."));
        return report;
    }

    /// <summary>Every zone once, from the entrance, each next to the last where the floor allows (depth first).</summary>
    internal static List<LayoutZone> WalkOrder(StoreLayout layout)
    {
        var zones = layout.Zones.ToDictionary(z => z.Id, StringComparer.Ordinal);
        var order = new List<LayoutZone>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(LayoutZone zone)
        {
            if (!seen.Add(zone.Id))
            {
                return;
            }

            order.Add(zone);
            foreach (var next in zone.Neighbors)
            {
                Visit(zones[next]);
            }
        }

        Visit(layout.EntranceZone);
        foreach (var zone in layout.Zones)
        {
            Visit(zone);
        }

        return order;
    }
}
