using Microsoft.Extensions.Logging;
using Orleans.Core;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// Stores a grain's state behind its changes, for results that arrive one-way and often: at most once per
/// <see cref="StoreEvery"/> after a change, and when the activation ends. A write that fails keeps the change in
/// memory and is tried again a second later (at the end of the activation, it is logged and given up).
/// </summary>
internal sealed partial class WriteBehind(IGrainBase grain, IStorage state, ILogger logger)
{
    public static readonly TimeSpan StoreEvery = TimeSpan.FromSeconds(1);

    private IGrainTimer? _timer;
    private bool _ending;

    /// <summary>The state changed: it is stored within <see cref="StoreEvery"/>.</summary>
    public void Changed() =>
        _timer ??= grain.RegisterGrainTimer(StoreAsync, new GrainTimerCreationOptions(StoreEvery, Timeout.InfiniteTimeSpan) { KeepAlive = true });

    /// <summary>For <c>OnDeactivateAsync</c>: stores a change not stored yet.</summary>
    public async Task StoreBeforeEndingAsync(CancellationToken cancellation)
    {
        if (_timer is not null)
        {
            _ending = true;
            await StoreAsync(cancellation);
        }
    }

    private async Task StoreAsync(CancellationToken cancellation)
    {
        _timer?.Dispose();
        _timer = null;
        try
        {
            await state.WriteStateAsync(cancellation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotStored(logger, ex, grain.GrainContext.GrainId);
            if (!_ending)
            {
                Changed();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The results of {GrainId} could not be stored; kept in memory and tried again shortly")]
    private static partial void LogNotStored(ILogger logger, Exception ex, GrainId grainId);
}
