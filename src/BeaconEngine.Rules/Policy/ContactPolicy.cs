namespace BeaconEngine.Rules.Policy;

/// <summary>
/// How often a store may speak to one shopper, across all brands. Relevance over volume: these limits
/// keep the engine from nagging loyal customers even when many offers are eligible.
/// </summary>
public sealed record ContactPolicy
{
    /// <summary>Coupons per shopper per local day, all brands together. Three keeps offers an event, not noise.</summary>
    public int MaxCouponsPerDay { get; init; } = 3;

    /// <summary>Least time between two coupons to the same shopper: two pushes within a few minutes read as spam.</summary>
    public TimeSpan MinGap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>After a dismissal, nothing for this long: "not now" should be respected for the rest of the aisle walk.</summary>
    public TimeSpan QuietAfterDismissal { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Net dismissals of a category (dismissals minus redemptions) after which it is never offered again.</summary>
    public int DismissalsToExcludeCategory { get; init; } = 2;

    /// <summary>Basket value assumed to turn a percentage discount into money for expected value (store currency).</summary>
    public decimal ReferenceBasket { get; init; } = 20m;

    /// <summary>Seed of the exploration's random draws; fixed per store so decisions can be replayed.</summary>
    public ulong Seed { get; init; } = 0x5EED_BEAC_0000_0001;

    /// <summary>
    /// How long one round of exploration draws lasts: a zone's offers are drawn once per round (per
    /// trigger and shopper segment) and ranked, so a decision walks the ranking instead of drawing for
    /// every offer (batched Thompson sampling). What was learned during a round counts from the next.
    /// </summary>
    public TimeSpan DrawRound { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Share of the store's shoppers in its global control group, who never get a coupon from any brand, so
    /// the whole programme's effect can be measured against them (<see cref="GlobalControl"/>). 0 here, the
    /// rules' neutral default; a store's own default comes from the engine's settings.
    /// </summary>
    public double GlobalControlShare { get; init; }

    public static ContactPolicy Default { get; } = new();
}
