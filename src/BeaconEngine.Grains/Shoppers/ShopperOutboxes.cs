namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// The shopper's two outboxes, both stored with the record they describe: feedback for the offers' books
/// (<see cref="FeedbackOutbox"/>) and events for the store's log (<see cref="StoreEventOutbox"/>). Sends them, and
/// while either cannot be sent retries on the grain's timer, 5 s at first, doubling after each failed try up to
/// 5 min, back to 5 s once both are empty.
/// </summary>
internal sealed class ShopperOutboxes(ShopperServices services, Func<ShopperState> state, Func<Func<Task>, TimeSpan, IDisposable> startTimer)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);

    private FeedbackOutbox? _feedback;
    private StoreEventOutbox? _events;
    private IDisposable? _timer;
    private TimeSpan _retry = FirstRetry;

    private FeedbackOutbox Feedback => _feedback ??= new(services.Offers, services.Time, services.Logger);

    private StoreEventOutbox Events => _events ??= new(services.EventLogs, services.Logger);

    /// <summary>An activation read the record: what an earlier one (or a crash) left is sent soon.</summary>
    public void Activated()
    {
        if (state().StoreEvents().Count > 0)
        {
            // Read back, so stored: they may be sent.
            Events.RecordStored(state());
        }

        _timer = startTimer(RetryAsync, TimeSpan.Zero);
    }

    /// <summary>
    /// The activation ends: a send in flight finishes first; then it is stored that the outboxes were sent, so a later
    /// activation does not send them again (an offer would count nothing twice, the log would skip the ids, but neither need to).
    /// </summary>
    public async Task DeactivatingAsync(string shopperId, Func<Task> store, CancellationToken cancellation)
    {
        if (_events?.Sending is { } sending)
        {
            await sending.WaitAsync(cancellation).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        if ((_feedback is not null || _events is not null) && state().Profile is not null)
        {
            Feedback.SentSinceStored |= _events?.SentSinceStored == true;
            await Feedback.StoreIfSentAsync(shopperId, store);
        }
    }

    /// <summary>The record was stored: the store events it holds are durable and may be sent.</summary>
    public void Stored() => Events.RecordStored(state());

    /// <summary>Sends the feedback outbox in order; what cannot be sent now is tried again in a few seconds.</summary>
    public async Task FlushFeedbackAsync()
    {
        if (!await Feedback.FlushAsync(state().Outbox))
        {
            RetrySoon();
        }
    }

    /// <summary>
    /// Starts sending the stored store events, not awaited: the caller (a coupon's push, a till's answer) goes on,
    /// and the send's continuations run on the activation between its turns. A failure leaves them for the timer.
    /// </summary>
    public void SendEvents()
    {
        if (_events?.HasStored == true && state().Profile is { } profile && _events.Sending is null)
        {
            _ = SendEventsAsync(profile.StoreId);
        }
    }

    /// <summary>Before an erasure: the events still held go to the log, as far as it takes them (the facts they describe happened).</summary>
    public async Task SendBeforeErasureAsync(string storeId)
    {
        if (_events?.HasStored == true)
        {
            await Events.SendAsync(storeId, state());
        }
    }

    /// <summary>The record was erased: nothing of it is left to send.</summary>
    public void Erased() => _events = null;

    private async Task SendEventsAsync(string storeId)
    {
        if (!await Events.SendAsync(storeId, state()))
        {
            RetrySoon();
        }
    }

    /// <summary>The retry timer's tick: both outboxes (feedback, then store events); the timer stops once both are empty.</summary>
    private async Task RetryAsync()
    {
        var sent = await Feedback.FlushAsync(state().Outbox);
        if (_events?.HasStored == true && state().Profile is { } profile)
        {
            sent &= await Events.SendAsync(profile.StoreId, state());
        }

        _timer?.Dispose();
        if (sent)
        {
            (_timer, _retry) = (null, FirstRetry);
        }
        else
        {
            _retry = _retry * 2 < MaxRetry ? _retry * 2 : MaxRetry;
            _timer = startTimer(RetryAsync, _retry);
        }
    }

    private void RetrySoon() => _timer ??= startTimer(RetryAsync, FirstRetry);
}
