using System.Text.Json;
using System.Text.Json.Nodes;

namespace BeaconEngine.Simulator;

/// <summary>
/// Memory per live shopper. Enrols N shoppers, has the server deactivate everything idle (so only what
/// placement brings back is counted), places each shopper in a zone with three strong sightings, waits
/// until every one has left by silence (an idle shopper: state, trail and resolver kept, nothing
/// running), and reads the server's managed heap after a full collection, with activations by type; last, has the
/// server deactivate them and reads it again, so what the live shoppers' activations alone hold is known too.
/// </summary>
public sealed class MemoryRun(SimulationOptions options)
{
    private const string ShopperGrainType = "BeaconEngine.Grains.Shoppers.ShopperGrain,";
    public async Task<int> RunAsync()
    {
        var random = new Random(options.Seed);
        var layout = options.Layout();
        using var api = new EngineApi(options.Url, options.AdminKey!);
        var store = await api.SetUpStoreAsync(layout, options, withOffers: false, random);
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

        Progress.Line("Deactivating every idle grain...");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var collected = await api.DiagnosticsAsync(collectIdleSeconds: 1);

        // A shopper grain alone, as loaded from storage and never placed: reading the trail touches nothing else.
        Progress.Line("Reading every shopper's trail (activates the shopper grain only)...");
        await Parallel.ForEachAsync(enrolments, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (e, _) =>
            await api.TrailAsync(store.StoreId, e.ShopperId));
        var loaded = await api.DiagnosticsAsync();

        Progress.Line("Placing every shopper in a zone (three sightings each at -60 dBm)...");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 2_000;
        var phones = new PhoneIdentities(enrolments);
        for (var g = 0; g < layout.Gateways.Count; g++)
        {
            var gateway = layout.Gateways[g];
            var mine = Enumerable.Range(0, enrolments.Length).Where(i => i % layout.Gateways.Count == g).ToArray();
            foreach (var chunk in mine.Chunk(1_500))
            {
                // With --identity rotating, the identity of the moment each sighting was heard.
                var items = chunk.SelectMany(i => Enumerable.Range(0, 3).Select(k => (At: now + (k * 300), Identity: phones.At(i, now + (k * 300)))).Select(h => new
                {
                    ts = h.At,
                    rssi = -60,
                    ibeacon = new { uuid = enrolments[i].Uuid, major = h.Identity.Major, minor = h.Identity.Minor },
                }));
                await api.SendAsync(HttpMethod.Post, "/api/v1/sightings", store.GatewayKeys[gateway.Id], new { sightings = items });
            }
        }

        var placedAt = DateTimeOffset.UtcNow;
        var placed = await api.DiagnosticsAsync();
        Progress.Line("Waiting for every shopper to leave by silence (exit timeout and the silence check)...");
        await Task.Delay(TimeSpan.FromSeconds(20));
        var idle = await api.DiagnosticsAsync();

        // Builds before 2026-12-03 kept each live shopper's beacon identity grain live too (the node asked it
        // again once a minute); now it answers once and goes. To weigh the shopper grain alone either way: read
        // every shopper's trail, which touches the shopper grain only, then deactivate what has been idle since
        // placement.
        Progress.Line("Touching every shopper grain, then deactivating the beacon identity grains...");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Parallel.ForEachAsync(enrolments, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (e, _) =>
            await api.TrailAsync(store.StoreId, e.ShopperId));
        var sincePlaced = (int)(DateTimeOffset.UtcNow - placedAt).TotalSeconds;
        var shoppersOnly = await api.DiagnosticsAsync(collectIdleSeconds: Math.Max(1, sincePlaced - 2));
        var shopperGrains = Activations(shoppersOnly, ShopperGrainType) - Activations(collected, ShopperGrainType);

        // What the live idle shoppers' activations hold and nothing else: the same node once they are deactivated
        // (the node's caches of identities and grain addresses, which outlive an activation, are in both).
        Progress.Line("Deactivating every shopper grain, to weigh the node without them...");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var gone = await api.DiagnosticsAsync(collectIdleSeconds: 1);
        var allGrains = Activations(idle, null) - Activations(collected, null);
        var report = new
        {
            date = DateTimeOffset.UtcNow,
            server = options.Url,
            options.Shoppers,
            shopperActivations = shopperGrains,
            otherActivations = allGrains - shopperGrains,
            // What deactivating them freed: the enrolled shopper's grains, all three live.
            bytesPerShopperEnrolled = Per(Heap(enrolled) - Heap(collected), options.Shoppers),
            bytesPerActivationPlaced = Per(Heap(placed) - Heap(collected), allGrains),
            bytesPerActivationIdle = Per(Heap(idle) - Heap(collected), allGrains),
            bytesPerLiveShopperIdle = Per(Heap(idle) - Heap(collected), options.Shoppers),
            bytesPerShopperGrainLoaded = Per(Heap(loaded) - Heap(collected), Activations(loaded, ShopperGrainType) - Activations(collected, ShopperGrainType)),
            bytesPerIdleShopperGrain = Per(Heap(shoppersOnly) - Heap(collected), shopperGrains),
            otherGrainsLeft = Activations(shoppersOnly, null) - Activations(collected, null) - shopperGrains,
            bytesPerIdleShopperActivationAlone = Per(Heap(shoppersOnly) - Heap(gone), shopperGrains),
            activationsLeftAfterDeactivating = Activations(gone, null) - Activations(collected, null),
            enrolled,
            collected,
            loaded,
            placed,
            idle,
            shoppersOnly,
            gone,
        };
        Directory.CreateDirectory(options.OutputFolder);
        var path = Path.Combine(options.OutputFolder, "memory.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, Reports.Json));
        Progress.Summary(
            [
                ("Shoppers", $"{options.Shoppers:N0} enrolled; placing them activated {shopperGrains:N0} shopper grains and {allGrains - shopperGrains:N0} others"),
                ("Heap per enrolled shopper, all its grains live", $"{report.bytesPerShopperEnrolled:N0} B (shopper, beacon identity, access key)"),
                ("Heap per activation, shopper in a zone", $"{report.bytesPerActivationPlaced:N0} B"),
                ("Heap per activation, idle (left the store)", $"{report.bytesPerActivationIdle:N0} B"),
                ("Heap per live idle shopper (shopper + identity grain)", $"{report.bytesPerLiveShopperIdle:N0} B"),
                ("Heap per shopper grain, loaded and never placed", $"{report.bytesPerShopperGrainLoaded:N0} B"),
                ("Heap per idle shopper grain activation", $"{report.bytesPerIdleShopperGrain:N0} B ({shopperGrains:N0} shopper grains live, {report.otherGrainsLeft:N0} others)"),
                ("Heap per idle shopper activation, against the node without it", $"{report.bytesPerIdleShopperActivationAlone:N0} B (the shopper grains and the {report.otherGrainsLeft:N0} others deactivated; node caches in both)"),
                ("Report", path),
            ]);
        return 0;
    }

    private static double Per(long bytes, long count) => count <= 0 ? 0 : Math.Round(bytes / (double)count);

    private static long Heap(JsonObject diagnostics) => diagnostics["managedHeapBytes"]!.GetValue<long>();

    private static long Activations(JsonObject diagnostics, string? type) =>
        diagnostics["activations"]!.AsObject().Where(p => type is null || p.Key.StartsWith(type, StringComparison.Ordinal)).Sum(p => p.Value!.GetValue<long>());
}
