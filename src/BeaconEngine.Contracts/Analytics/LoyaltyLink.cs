namespace BeaconEngine.Contracts.Analytics;

/// <summary>What linking a loyalty card came to. A card someone else holds is linked as any other (see <see cref="ILoyaltyCardGrain"/>).</summary>
public enum LoyaltyLink
{
    Linked,

    /// <summary>There is no such shopper (never enrolled, or erased).</summary>
    NoSuchShopper,
}
