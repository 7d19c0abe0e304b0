using System.Text.Json;
using System.Text.Json.Nodes;

namespace BeaconEngine.Simulator;

/// <summary>
/// Memory per live shopper: enrols N shoppers, then places each in a zone with three strong sightings,
/// and reads the server's managed heap (after a full collection) and activation counts before and after.
/// </summary>
public sealed class MemoryRun(SimulationOptions options)
{
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<int> RunAsync()
    {
        var random = new Random(options.Seed);
        var layout = options.Layout();
        using var api = new EngineApi(options.Url, options.AdminKey!);
        var store = await api.SetUpStoreAsync(layout, options, withOffers: false, random);
        var before = await api.DiagnosticsAsync();
        Progress.Line($"Store {store.StoreId}. Enrolling {options.Shoppers:N0} shoppers...");
        var last = 0;
        var enrolments = await api.EnrolManyAsync(store.StoreId, options.Shoppers, parallel: 32, done =>
        {
            if (done % 10_000 == 0 && Interlocked.Exchange(ref last, done) != done)
            {
                Progress.Line($"  {done:N0} enrolled");
            }
        });
        var enrolled = await api.DiagnosticsAsync();

        Progress.Line("Placing every shopper in a zone (three sightings each at -60 dBm)...");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 2_000;
        for (var g = 0; g < layout.Gateways.Count; g++)
        {
            var gateway = layout.Gateways[g];
            var mine = enrolments.Where((_, i) => i % layout.Gateways.Count == g).ToArray();
            foreach (var chunk in mine.Chunk(1_500))
            {
                var items = chunk.SelectMany(e => Enumerable.Range(0, 3).Select(k => new
                {
                    ts = now + (k * 300),
                    rssi = -60,
                    ibeacon = new { uuid = e.Uuid, major = e.Major, minor = e.Minor },
                }));
                await api.SendAsync(HttpMethod.Post, "/api/v1/sightings", store.GatewayKeys[gateway.Id], new { sightings = items });
            }
        }

        var placed = await api.DiagnosticsAsync();
        var shopperGrains = Activations(placed, "Shopper") - Activations(before, "Shopper");
        var enrolledBytes = Heap(enrolled) - Heap(before);
        var placedBytes = Heap(placed) - Heap(before);
        var report = new
        {
            date = DateTimeOffset.UtcNow,
            server = options.Url,
            options.Shoppers,
            shopperActivations = shopperGrains,
            bytesPerShopperEnrolled = Math.Round(enrolledBytes / (double)options.Shoppers),
            bytesPerShopperPlaced = Math.Round(placedBytes / (double)options.Shoppers),
            before,
            enrolled,
            placed,
        };
        Directory.CreateDirectory(options.OutputFolder);
        var path = Path.Combine(options.OutputFolder, "memory.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, ReportJson));
        Progress.Summary(
            [
                ("Shoppers", $"{options.Shoppers:N0} enrolled; {shopperGrains:N0} shopper grains live"),
                ("Managed heap per shopper, enrolled", $"{report.bytesPerShopperEnrolled:N0} B (every grain the shopper brings: shopper, beacon identity, key)"),
                ("Managed heap per shopper, placed in a zone", $"{report.bytesPerShopperPlaced:N0} B"),
                ("Report", path),
            ]);
        return 0;
    }

    private static long Heap(JsonObject diagnostics) => diagnostics["managedHeapBytes"]!.GetValue<long>();

    private static long Activations(JsonObject diagnostics, string typeContains) =>
        diagnostics["activations"]!.AsObject().Where(p => p.Key.Contains(typeContains, StringComparison.OrdinalIgnoreCase)).Sum(p => p.Value!.GetValue<long>());
}
