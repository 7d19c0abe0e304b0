using System.Net;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>Stop the server, start a new one on the same SQLite file: a walk under way and a fitted calibration are still there.</summary>
public sealed class CalibrationDurabilityTests
{
    [Fact]
    public async Task A_walk_and_the_stores_calibration_survive_restarts()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            Scenario store;
            CalibrationWalk walk;
            var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);
            string before;
            await using (var first = await EngineHost.StartAsync(data))
            {
                store = await Scenario.CreateAsync(first);
                walk = await CalibrationWalk.StartAsync(store.Admin, store.StoreId);
                await CalibrationTests.WalkAsync(store, walk, t0);
                before = (await walk.StatusAsync(store.Admin)).ToJsonString();
            }

            await using (var second = await EngineHost.StartAsync(data))
            {
                using var moved = store.MovedTo(second);
                Assert.Equal(before, (await walk.StatusAsync(moved.Admin)).ToJsonString());

                // The walk's device is still known to the store: more of its sightings are taken.
                var more = await moved.PostSightingsAsync("gw-dairy", walk.Sightings(t0.AddSeconds(70), 2, -60));
                Assert.Equal(2, more["accepted"]!.GetValue<int>());
                await Scenario.Expect(await moved.Admin.PostAsync($"{walk.Path}/fit", null), HttpStatusCode.OK);
            }

            await using var third = await EngineHost.StartAsync(data);
            using var again = store.MovedTo(third);
            var active = await Scenario.Expect(await again.Admin.GetAsync($"/api/v1/stores/{again.StoreId}/calibration"), HttpStatusCode.OK);
            Assert.Equal(walk.CalibrationId, active["calibrationId"]!.GetValue<string>());
            Assert.Equal(242, (await walk.StatusAsync(again.Admin))["sightings"]!.GetValue<int>());

            var shopper = await again.EnrolAsync();
            await CalibrationTests.StandInSnacksAsync(again, shopper, t0.AddSeconds(100));
            Assert.Equal("snacks", await CalibrationTests.ZoneOfAsync(again, shopper));
            store.Dispose();
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }
}
