namespace BeaconEngine.Contracts.Analytics;

/// <summary>What can happen to an offer for one shopper, in the order it usually happens.</summary>
[GenerateSerializer, Alias("BeaconEngine.OfferEventKind")]
public enum OfferEventKind
{
    /// <summary>The rules picked the offer for a shopper's zone event.</summary>
    Triggered,

    /// <summary>The shopper fell in the offer's control group and was sent nothing.</summary>
    HeldOut,

    Issued,

    /// <summary>The app acknowledged the coupon: the shopper saw it.</summary>
    Opened,

    Dismissed,

    /// <summary>The shopper said the coupon was not relevant to them (counted as dismissed too).</summary>
    NotRelevant,

    Redeemed,
}
