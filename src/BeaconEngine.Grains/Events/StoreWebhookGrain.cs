using BeaconEngine.Contracts.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Events;

/// <summary>
/// Delivers a store's log to its webhook: one batch at a time, in offset order, the next only after a 2xx.
/// The acknowledged offset is stored after each 2xx, so after a crash delivery resumes there and the batch
/// in flight may come again (at least once). A failure waits before the next try, doubling each time.
/// </summary>
internal sealed partial class StoreWebhookGrain(
    [PersistentState("webhook", StorageNames.State)] IPersistentState<StoreWebhookState> state,
    IOptions<StoreEventOptions> options,
    TimeProvider time,
    ILogger<StoreWebhookGrain> logger) : Grain, IStoreWebhookGrain
{
    private IGrainTimer? _timer;
    private int _failures;
    private string? _lastError;
    private DateTimeOffset? _nextAttemptAt;

    private string StoreId => this.GetPrimaryKeyString();

    private IStoreEventsGrain Log => GrainFactory.GetGrain<IStoreEventsGrain>(StoreId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Run();
        return Task.CompletedTask;
    }

    public async Task<StoreWebhookStatus> Put(StoreWebhookSettings settings)
    {
        var start = settings.After ?? (state.State.Url is not null
            ? state.State.AcknowledgedOffset
            : (await Log.Read(null, 0)).LastOffset);
        state.State = new StoreWebhookState { Url = settings.Url, Secret = settings.Secret, AcknowledgedOffset = start, LastDeliveredAt = state.State.LastDeliveredAt };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IStoreWebhookRegistryGrain>(0).Add(StoreId);
        (_failures, _lastError, _nextAttemptAt) = (0, null, null);
        Run();
        return Status()!;
    }

    public Task<StoreWebhookStatus?> Get() => Task.FromResult(Status());

    public async Task<bool> Delete()
    {
        if (state.State.Url is null)
        {
            return false;
        }

        await state.ClearStateAsync();
        state.State = new StoreWebhookState();
        await GrainFactory.GetGrain<IStoreWebhookRegistryGrain>(0).Remove(StoreId);
        Stop();
        return true;
    }

    public Task Wake()
    {
        Run();
        return Task.CompletedTask;
    }

    private StoreWebhookStatus? Status() => state.State.Url is { } url
        ? new StoreWebhookStatus(url, state.State.AcknowledgedOffset, _failures, _lastError, _nextAttemptAt, state.State.LastDeliveredAt)
        : null;

    private void Run()
    {
        if (state.State.Url is not null)
        {
            _timer ??= this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.Webhook.PollEvery) { KeepAlive = true });
        }
    }

    private void Stop()
    {
        _timer?.Dispose();
        _timer = null;
        (_failures, _lastError, _nextAttemptAt) = (0, null, null);
    }

    /// <summary>One tick: the next batch after the acknowledged offset, if any and if no backoff is running.</summary>
    private async Task DeliverAsync(CancellationToken cancellation)
    {
        if (state.State.Url is not { } url)
        {
            Stop();
            return;
        }

        if (_nextAttemptAt is { } next && time.GetUtcNow() < next)
        {
            return;
        }

        var o = options.Value.Webhook;
        var page = await Log.Read(state.State.AcknowledgedOffset, o.BatchSize);
        if (page.Gone)
        {
            // Retention removed events the receiver never took: they cannot be sent; the log says where it resumes.
            LogSkipped(logger, StoreId, state.State.AcknowledgedOffset, page.FirstOffset);
            state.State.AcknowledgedOffset = page.FirstOffset - 1;
            await state.WriteStateAsync(cancellation);
            return;
        }

        if (page.Events.Length == 0)
        {
            return;
        }

        string? failure;
        try
        {
            var sender = ServiceProvider.GetRequiredService<IStoreWebhookSender>();
            failure = await sender.SendAsync(StoreId, url, state.State.Secret, page.Events, cancellation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex.Message;
        }

        var now = time.GetUtcNow();
        if (failure is null)
        {
            state.State.AcknowledgedOffset = page.Events[^1].Offset;
            state.State.LastDeliveredAt = now;
            (_failures, _lastError, _nextAttemptAt) = (0, null, null);
            await state.WriteStateAsync(cancellation);
            return;
        }

        _failures++;
        var delay = TimeSpan.FromTicks(Math.Min(o.MaxRetryDelay.Ticks, o.FirstRetryDelay.Ticks * (1L << Math.Min(_failures - 1, 30))));
        _nextAttemptAt = now + (delay * (1 + (Random.Shared.NextDouble() * 0.2)));
        _lastError = failure;
        LogFailed(logger, StoreId, page.Events[0].Offset, _failures, failure, _nextAttemptAt.Value);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook of store {StoreId}: the batch from offset {Offset} failed ({Failures} in a row: {Failure}); next try at {NextAttemptAt}")]
    private static partial void LogFailed(ILogger logger, string storeId, long offset, int failures, string failure, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook of store {StoreId}: events after {Acknowledged} were removed by retention before delivery; resuming at {FirstOffset}")]
    private static partial void LogSkipped(ILogger logger, string storeId, long acknowledged, long firstOffset);
}
