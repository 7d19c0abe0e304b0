using System.Diagnostics;
using System.Text.Json;

namespace BeaconEngine.Simulator;

/// <summary>
/// Ingestion capacity: a store with no offers, so no coupon fires, and a sighting rate that rises by half
/// each step until the p99 of a gateway batch's round trip passes the bound, the server fails a batch,
/// or it falls behind the rate offered. The knee is the last step that held.
/// </summary>
public sealed class CapacityRun(SimulationOptions options)
{
    public async Task<int> RunAsync()
    {
        var random = new Random(options.Seed);
        var layout = options.Layout();
        using var api = new EngineApi(options.Url, options.AdminKey!);
        var store = await api.SetUpStoreAsync(layout, options, withOffers: false, random);
        Progress.Line($"Store {store.StoreId} ({options.Identity.ToString().ToLowerInvariant()} identities): no offers. Enrolling {options.Shoppers} shoppers...");
        var enrolments = await api.EnrolManyAsync(store.StoreId, options.Shoppers, parallel: 16);
        store = store with { Phones = new PhoneIdentities(enrolments) };
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();

        var hearing = GatewaysHearingEach(layout, options);
        var steps = new List<CapacityStep>();
        CapacityStep? knee = null;
        for (var rate = options.StartRate; rate <= options.MaxRate; rate *= 1.5)
        {
            // A phone advertises faster to reach the rate; batches stay well under the 5,000-item limit.
            var hz = rate / (options.Shoppers * hearing);
            var interval = TimeSpan.FromSeconds(Math.Min(options.BatchInterval.TotalSeconds, 2_000 / (rate / layout.Gateways.Count)));
            // No packets lost, so what the gateways send is the rate offered.
            var world = new World(layout, options with { AdvertisingHz = hz, DropRate = 0 }, random);
            var shoppers = enrolments.Select(e => world.Add(e.ShopperId, e.Uuid, e.Major, e.Minor, clock.Elapsed.TotalSeconds)).ToArray();
            using var uplinks = new GatewayUplinks(options.GatewayTarget, layout, store, shoppers.Length, epoch, interval);
            await StoreSimulation.RunPhaseAsync($"{rate:N0}/s", world, uplinks, clock, options.StepDuration, () => $"batch {uplinks.BatchLatency.Summary()}");
            var seconds = options.StepDuration.TotalSeconds;
            var step = new CapacityStep(Math.Round(rate), Math.Round(uplinks.Sent / seconds), Math.Round(uplinks.Accepted / seconds), uplinks.Errors, uplinks.BatchLatency.Summary(), interval.TotalMilliseconds);
            steps.Add(step);
            Progress.Line($"  offered {step.Offered,9:N0}/s  sent {step.Sent,9:N0}/s  accepted {step.Accepted,9:N0}/s  errors {step.Errors}  batch {step.BatchRoundTripMs}");
            if (step.Errors > 0 || step.BatchRoundTripMs.P99 > options.BoundMs || step.Accepted < 0.9 * rate)
            {
                break;
            }

            knee = step;
        }

        Directory.CreateDirectory(options.OutputFolder);
        var path = Path.Combine(options.OutputFolder, "capacity.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { date = DateTimeOffset.UtcNow, server = options.Url, options.Shoppers, identity = StoreSimulation.IdentitySummary(options, store.Phones!), boundMs = options.BoundMs, knee, steps }, Reports.Json));
        Progress.Summary(
            [
                ("Knee", knee is null ? "none: the first step already passed the bound" : $"{knee.Accepted:N0} sightings/s accepted with batch p99 {knee.BatchRoundTripMs.P99:0.0} ms (bound {options.BoundMs} ms)"),
                ("Identity", StoreSimulation.IdentitySummary(options, store.Phones!)),
                ("Steps", steps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Report", path),
            ]);
        return 0;
    }

    /// <summary>How many gateways hear one advertisement on average, from a dry run of the world.</summary>
    private static double GatewaysHearingEach(StoreLayout layout, SimulationOptions options)
    {
        var world = new World(layout, options with { AdvertisingHz = 1, DropRate = 0 }, new Random(options.Seed));
        for (var i = 0; i < 500; i++)
        {
            world.Add($"dry-{i}", Guid.Empty, 0, 0, 0);
        }

        var heard = 0;
        for (var t = 1; t <= 20; t++)
        {
            world.Advance(t, 1, (_, _) => heard++);
        }

        return Math.Max(0.1, heard / (500.0 * 20));
    }
}

public sealed record CapacityStep(double Offered, double Sent, double Accepted, long Errors, LatencySummary BatchRoundTripMs, double BatchMs);
