namespace BeaconEngine.Rules.Selection;

/// <summary>What the rules need to know of a shopper's past with offers.</summary>
public interface IShopperHistory
{
    /// <summary>Whether the shopper agreed to receive offers at all.</summary>
    bool AcceptsOffers { get; }

    /// <summary>How many coupons of the offer the shopper has received.</summary>
    int CouponsReceived(string offerId);
}
