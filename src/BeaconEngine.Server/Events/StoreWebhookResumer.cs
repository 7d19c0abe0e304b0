using BeaconEngine.Contracts.Events;

namespace BeaconEngine.Server.Events;

/// <summary>
/// Once the server has started, wakes the webhook of every store that has one, so delivery resumes from each
/// one's acknowledged offset without waiting for a request. Every node does it; waking twice is harmless.
/// </summary>
public sealed partial class StoreWebhookResumer(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<StoreWebhookResumer> logger) : BackgroundService
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var storeId in await grains.GetGrain<IStoreWebhookRegistryGrain>(0).List())
                {
                    await grains.GetGrain<IStoreWebhookGrain>(storeId).Wake();
                }

                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogNotResumed(logger, ex, RetryEvery);
                await Task.Delay(RetryEvery, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store webhooks could not be resumed yet; trying again in {Delay}")]
    private static partial void LogNotResumed(ILogger logger, Exception ex, TimeSpan delay);
}
