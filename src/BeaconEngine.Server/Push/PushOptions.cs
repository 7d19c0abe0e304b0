namespace BeaconEngine.Server.Push;

/// <summary>The retailer's own push service, reached by a signed webhook (section <c>BeaconEngine:Push</c>).</summary>
public sealed class PushOptions
{
    public const string Section = "BeaconEngine:Push";

    /// <summary>Where coupons for shoppers on the "push" channel are posted; none: the channel is not offered.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The shared secret of the HMAC-SHA256 signature. Required with a URL.</summary>
    public string? Secret { get; set; }

    /// <summary>Attempts per coupon, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait before the first retry; each further retry waits twice as long (with up to 20 % jitter).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
