using BeaconEngine.Contracts.Analytics;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// A store-hour's zone analytics. Stays and stages arrive one-way from the shoppers' grains (one call per zone
/// change and per coupon stage, none per sighting) and are stored behind (<see cref="WriteBehind"/>), at most
/// once a second and when the activation ends, as the offers' results are.
/// </summary>
internal sealed class ZoneHourGrain(
    [PersistentState("zoneHour", StorageNames.State)] IPersistentState<ZoneHourState> state,
    ILogger<ZoneHourGrain> logger) : Grain, IZoneHourGrain
{
    private WriteBehind? _writeBehind;

    private WriteBehind Stored => _writeBehind ??= new WriteBehind(this, state, logger);

    public Task RecordStays(string shopperKey, ZoneStay[] stays)
    {
        if (state.State.AddStays(shopperKey, stays))
        {
            Stored.Changed();
        }

        return Task.CompletedTask;
    }

    public Task RecordStage(string shopperKey, string zoneId, string brandId, ZoneStage stage)
    {
        if (state.State.AddStage(shopperKey, zoneId, brandId, stage))
        {
            Stored.Changed();
        }

        return Task.CompletedTask;
    }

    public Task<ZoneHourReport> GetReport() => Task.FromResult(state.State.ToReport());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Stored.StoreBeforeEndingAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }
}
