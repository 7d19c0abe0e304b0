namespace BeaconEngine.Grains.Events;

/// <summary>The stores' event logs and webhooks (configuration section <c>BeaconEngine:Events</c>).</summary>
public sealed class StoreEventOptions
{
    public const string Section = "BeaconEngine:Events";

    /// <summary>
    /// Events per stored segment of a log. A new log keeps the size it was made with, so changing this later
    /// changes only logs made after.
    /// </summary>
    public int SegmentSize { get; set; } = 256;

    /// <summary>Events older than this are removed, a whole segment at a time, when a segment fills.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>At most this many events are kept per store; the oldest segments go first.</summary>
    public int MaxEvents { get; set; } = 1_000_000;

    /// <summary>
    /// The duplicate window: a store's log skips an event whose id is among at least this many of its newest
    /// events (whole segments: the open one and as many full ones before it as this needs), so a sender's resend
    /// after a crash shows once. A resend later than that is stored again, and a reader sees the id twice.
    /// </summary>
    public int DuplicateWindow { get; set; } = 4096;

    public StoreWebhookOptions Webhook { get; set; } = new();
}

/// <summary>How a store's webhook is delivered (section <c>BeaconEngine:Events:Webhook</c>).</summary>
public sealed class StoreWebhookOptions
{
    /// <summary>Events per request at most.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How often a webhook with nothing to send looks for new events.</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Wait after the first failure; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a receiver has to answer one request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether webhooks may target loopback, private, link-local and other internal addresses. Allowed by
    /// default (a store's own systems often live there, and the tests post to 127.0.0.1); set false where the
    /// operator's key could be used to make the server probe an internal network.
    /// </summary>
    public bool AllowInternalTargets { get; set; } = true;
}
