namespace BeaconEngine.Contracts.Analytics;

/// <summary>What linking a loyalty card came to.</summary>
public enum LoyaltyLink
{
    Linked,

    /// <summary>Another shopper holds the card.</summary>
    TakenByAnother,

    /// <summary>There is no such shopper (never enrolled, or erased).</summary>
    NoSuchShopper,
}
