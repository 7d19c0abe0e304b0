using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Server.Storage;
using Orleans.Storage;

namespace BeaconEngine.Server.Events;

/// <summary>
/// On the embedded default (one process, SQLite): once the server has started, wakes the shoppers whose records
/// still hold store events or feedback the process did not get to send before it stopped (a crash between a
/// coupon's wallet write and the log's write), so the store's stream gets them without waiting for the shopper's
/// next sighting or app call. Only records written in the last <see cref="Window"/> before the file's last shopper
/// write are read (at most <see cref="MaxRecords"/>): the outbox is sent within seconds while the process runs.
/// </summary>
public sealed partial class StoreEventOutboxResumer(
    SqliteStateStore store,
    IGrainStorageSerializer serializer,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    ILogger<StoreEventOutboxResumer> logger) : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public const int MaxRecords = 20_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            var woken = 0;
            foreach (var (grainId, data) in await store.WrittenLastAsync(ShopperState.Name, Window, MaxRecords))
            {
                stoppingToken.ThrowIfCancellationRequested();
                if (Pending(data) && GrainId.TryParse(grainId, out var id))
                {
                    // Any call activates the grain; its activation sends what the record holds.
                    await grains.GetGrain<IShopperGrain>(id.Key.ToString()).GetProfile();
                    woken++;
                }
            }

            if (woken > 0)
            {
                LogWoken(logger, woken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotResumed(logger, ex);
        }
    }

    private bool Pending(byte[] data)
    {
        try
        {
            var state = serializer.Deserialize<ShopperState>(new BinaryData(data));
            return state is not null && (state.StoreEvents().Count > 0 || state.OutboxCount() > 0);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke {Count} shoppers whose records held events or feedback not yet sent when the process stopped")]
    private static partial void LogWoken(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shoppers' unsent events could not be resumed at start; each is sent at the shopper's next sighting or app call")]
    private static partial void LogNotResumed(ILogger logger, Exception ex);
}
