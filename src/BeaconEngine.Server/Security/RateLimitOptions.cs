namespace BeaconEngine.Server.Security;

/// <summary>
/// Request rate limits (configuration section <c>BeaconEngine:RateLimits</c>), each a token bucket: a
/// sustained rate and a burst. The defaults are far above what a store needs, so they only stop a
/// runaway or hostile client: a gateway posts about one batch a second, and the simulator's capacity
/// runs a few. The operator's key is not limited: it can do everything anyway, and the simulator's
/// set-up and checks run on it.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "BeaconEngine:RateLimits";

    /// <summary>Per gateway (its key): requests to the sighting routes and anything else it calls.</summary>
    public RateLimit Gateway { get; set; } = new() { PermitsPerSecond = 200, Burst = 2_000 };

    /// <summary>Per brand or shopper key.</summary>
    public RateLimit Key { get; set; } = new() { PermitsPerSecond = 500, Burst = 5_000 };

    /// <summary>
    /// Per client address, for requests without a valid key: enrolment (a store's phones may share one
    /// address behind its Wi-Fi) and every 401.
    /// </summary>
    public RateLimit Anonymous { get; set; } = new() { PermitsPerSecond = 1_000, Burst = 20_000 };

    /// <summary>
    /// Anonymous enrolments per client address: a crowd at the door on the store's Wi-Fi enrols at once, then
    /// a steady trickle. The operator's key is not limited (the simulator enrols with it).
    /// </summary>
    public RateLimit Enrolment { get; set; } = new() { PermitsPerSecond = 20, Burst = 1_000 };

    /// <summary>
    /// Lookups of well-formed keys that turn out to be issued to nobody, per client address. Past it, the
    /// address's keys are refused with 429 before any lookup, until the bucket refills.
    /// </summary>
    public RateLimit UnknownKeys { get; set; } = new() { PermitsPerSecond = 20, Burst = 200 };

    /// <summary>
    /// Lookups of beacon identities (with the store's UUID) that belong to no shopper, per store. Past it,
    /// identities not already known are dropped without a lookup until the bucket refills.
    /// </summary>
    public RateLimit UnknownIdentities { get; set; } = new() { PermitsPerSecond = 1_000, Burst = 20_000 };
}

public sealed class RateLimit
{
    /// <summary>Requests a second, sustained.</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>Requests that may come at once after a quiet spell.</summary>
    public int Burst { get; set; }
}
