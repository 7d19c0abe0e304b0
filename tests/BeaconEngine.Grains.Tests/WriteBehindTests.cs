using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Grains.Analytics;

namespace BeaconEngine.Grains.Tests;

/// <summary>Results stored behind their changes (<see cref="WriteBehind"/>): a failed write is tried again a second later, with no further change.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class WriteBehindTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_change_whose_write_fails_is_stored_a_second_later_without_another_change()
    {
        var hour = cluster.Grains.GetGrain<IZoneHourGrain>(ZoneHourKey.Of($"store-{Guid.NewGuid():N}", cluster.Clock.GetUtcNow()));
        await cluster.Faults("zoneHour").AddFaultOnWrite(hour.GetGrainId(), new InvalidOperationException("disk full"));
        await hour.RecordStage("shopper-1", "dairy", "brand-a", ZoneStage.Offered);

        // Nothing is stored before a second has passed; the first try fails, the next one a second later stores it.
        Assert.Null(await StoredAsync(hour));
        var stored = await Conditions.UntilAsync(
            async () =>
            {
                cluster.Clock.Advance(TimeSpan.FromSeconds(1));
                return await StoredAsync(hour);
            },
            s => s is not null,
            "the zone hour to be stored after its failed write");
        Assert.Equal(["brand-a"], stored!.Zones["dairy"].Shoppers["shopper-1"].Offered);
    }

    private async Task<ZoneHourState?> StoredAsync(IZoneHourGrain hour)
    {
        var state = new GrainState<ZoneHourState>();
        await cluster.Storage.ReadStateAsync("zoneHour", hour.GetGrainId(), state);
        return state.RecordExists ? state.State : null;
    }
}
