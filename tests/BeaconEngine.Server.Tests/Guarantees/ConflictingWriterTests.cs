using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// Two servers started by mistake on one data folder are two writers of one SQLite file: a write based on
/// stale state is refused with a 409 problem instead of overwriting the other's, and a retry lands.
/// </summary>
public sealed class ConflictingWriterTests
{
    [Fact]
    public async Task A_write_based_on_state_another_server_changed_is_a_409_and_the_retry_lands()
    {
        var path = EngineHost.NewDataPath();
        string storePath;
        try
        {
            await using (var a = await EngineHost.StartAsync(path))
            await using (var b = await EngineHost.StartAsync(path))
            {
                using var onA = await Scenario.CreateAsync(a);
                using var onB = onA.MovedTo(b);
                storePath = $"/api/v1/stores/{onA.StoreId}";
                await Scenario.Expect(await onB.Admin.GetAsync(storePath), HttpStatusCode.OK);

                await Scenario.Expect(await onA.Admin.PutAsJsonAsync(storePath, Layout("changed on A")), HttpStatusCode.OK);
                var detail = await Scenario.ExpectProblem(await onB.Admin.PutAsJsonAsync(storePath, Layout("changed on B")), HttpStatusCode.Conflict);
                Assert.Contains("retry", detail, StringComparison.Ordinal);

                var retried = await Scenario.Expect(await onB.Admin.PutAsJsonAsync(storePath, Layout("changed on B")), HttpStatusCode.OK);
                Assert.Equal("changed on B", retried["name"]!.GetValue<string>());
            }

            // The file holds the retried write, with nothing of the refused one mixed in.
            await using var c = await EngineHost.StartAsync(path);
            using var admin = c.CreateClient(EngineHost.AdminKey);
            var stored = await Scenario.Expect(await admin.GetAsync(storePath), HttpStatusCode.OK);
            Assert.Equal("changed on B", stored["name"]!.GetValue<string>());
            Assert.Equal(2, stored["gateways"]!.AsArray().Count);
        }
        finally
        {
            EngineHost.TryDelete(path);
        }
    }

    private static object Layout(string name) => new
    {
        name,
        timeZone = "Europe/Warsaw",
        zones = new object[]
        {
            new { id = "dairy", name = "Dairy", kind = "aisle", category = "dairy", neighbors = new[] { "snacks" } },
            new { id = "snacks", name = "Snacks", kind = "aisle", category = "snacks", neighbors = new[] { "dairy" } },
        },
    };
}
