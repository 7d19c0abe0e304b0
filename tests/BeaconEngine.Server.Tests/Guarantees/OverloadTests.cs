using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// A node offered more sightings than its bound refuses the excess at the door, says when to come back, and loses
/// nothing: a refused batch counts nowhere, and the same batch sent again is processed once.
/// </summary>
public sealed class OverloadTests
{
    [Fact]
    public async Task Batches_past_the_nodes_bound_get_503_with_retry_after_and_sent_again_each_counts_exactly_once()
    {
        // A bound of one sighting: a batch is admitted only while no other is in flight.
        await using var host = await EngineHost.StartAsync(null, "--BeaconEngine:Limits:MaxSightingsInFlight", "1");
        using var store = await Scenario.CreateAsync(host);
        var shoppers = new List<EnrolledShopper>();
        for (var i = 0; i < 10; i++)
        {
            shoppers.Add(await store.EnrolAsync());
        }

        var at = DateTimeOffset.UtcNow;
        var batches = Enumerable.Range(0, 12).ToDictionary(b => $"overload-{b}", b => shoppers.Select((s, i) => (object)new
        {
            ts = at.AddMilliseconds((100 * b) + i).ToUnixTimeMilliseconds(),
            rssi = -65,
            ibeacon = new { uuid = s.Uuid, major = s.Major, minor = s.Minor },
        }).ToArray());

        var pending = batches.Keys.ToList();
        var accepted = new Dictionary<string, int>();
        var refused = 0;
        for (var round = 0; round < 30 && pending.Count > 0; round++)
        {
            var answers = await Task.WhenAll(pending.Select(async id =>
            {
                using var gateway = host.CreateClient(store.GatewayKeys[Gateway(id)]);
                return (id, response: await gateway.PostAsJsonAsync("/api/v1/sightings", new { batchId = id, sightings = batches[id] }));
            }));

            pending.Clear();
            foreach (var (id, response) in answers)
            {
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    var detail = await Scenario.ExpectProblem(response, HttpStatusCode.ServiceUnavailable);
                    Assert.Contains("MaxSightingsInFlight", detail, StringComparison.Ordinal);
                    Assert.Contains("send the same batch again", detail, StringComparison.Ordinal);
                    Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");
                    refused++;
                    pending.Add(id);
                    continue;
                }

                var receipt = await Scenario.Expect(response, HttpStatusCode.Accepted);
                Assert.False(response.Headers.Contains("Idempotent-Replayed"), $"batch {id} was answered as a replay: a refusal had counted it");
                accepted[id] = receipt["accepted"]!.GetValue<int>();
            }
        }

        Assert.True(refused > 0, "twelve batches at once against a bound of one sighting were never refused");
        Assert.Empty(pending);

        // Every batch counted once and whole: a refusal kept nothing of it.
        Assert.All(accepted, a => Assert.Equal(shoppers.Count, a.Value));
        Assert.Equal(batches.Count, accepted.Count);

        // Sent once more, an accepted batch is answered from its first receipt, not counted again; the node carries on.
        foreach (var id in batches.Keys)
        {
            using var gateway = host.CreateClient(store.GatewayKeys[Gateway(id)]);
            var response = await gateway.PostAsJsonAsync("/api/v1/sightings", new { batchId = id, sightings = batches[id] });
            var replay = await Scenario.Expect(response, HttpStatusCode.Accepted);
            Assert.True(response.Headers.Contains("Idempotent-Replayed"), $"batch {id} was counted twice");
            Assert.Equal(shoppers.Count, replay["accepted"]!.GetValue<int>());
        }
    }

    private static string Gateway(string batchId) => int.Parse(batchId["overload-".Length..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "gw-dairy" : "gw-snacks";
}
