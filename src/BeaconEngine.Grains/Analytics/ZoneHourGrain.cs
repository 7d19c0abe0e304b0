using BeaconEngine.Contracts.Analytics;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// A store-hour's zone analytics. Stays and stages arrive one-way from the shoppers' grains (one call per zone
/// change and per coupon stage, none per sighting) and are stored behind, at most once per
/// <see cref="StoreEvery"/> and when the activation ends, as the offers' results are.
/// </summary>
internal sealed partial class ZoneHourGrain(
    [PersistentState("zoneHour", StorageNames.State)] IPersistentState<ZoneHourState> state,
    ILogger<ZoneHourGrain> logger) : Grain, IZoneHourGrain
{
    private static readonly TimeSpan StoreEvery = TimeSpan.FromSeconds(1);

    private IGrainTimer? _storeTimer;

    public Task RecordStays(string shopperKey, ZoneStay[] stays)
    {
        if (state.State.AddStays(shopperKey, stays))
        {
            StoreSoon();
        }

        return Task.CompletedTask;
    }

    public Task RecordStage(string shopperKey, string zoneId, string brandId, ZoneStage stage)
    {
        if (state.State.AddStage(shopperKey, zoneId, brandId, stage))
        {
            StoreSoon();
        }

        return Task.CompletedTask;
    }

    public Task<ZoneHourReport> GetReport() => Task.FromResult(state.State.ToReport());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_storeTimer is not null)
        {
            await StoreAsync(cancellationToken);
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private void StoreSoon() =>
        _storeTimer ??= this.RegisterGrainTimer(StoreAsync, new GrainTimerCreationOptions(StoreEvery, Timeout.InfiniteTimeSpan) { KeepAlive = true });

    private async Task StoreAsync(CancellationToken cancellation)
    {
        _storeTimer?.Dispose();
        _storeTimer = null;
        try
        {
            await state.WriteStateAsync(cancellation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Kept in memory: the next change stores it.
            LogNotStored(logger, ex, this.GetPrimaryKeyString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone analytics {Key} could not be stored; the next change tries again")]
    private static partial void LogNotStored(ILogger logger, Exception ex, string key);
}
