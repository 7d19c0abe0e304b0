namespace BeaconEngine.Rules.Selection;

/// <summary>Why an offer, or every offer, was not chosen.</summary>
public enum Exclusion
{
    None,
    NoOfferConsent,
    DailyCap,
    MinGap,
    QuietAfterDismissal,
    DwellTooShort,
    NotYetValid,
    Expired,
    OutsideSchedule,
    NotInSegment,
    NotInLoyaltyTier,
    VisitCount,
    NewOrReturning,
    NoInterest,
    OptedOutCategory,
    DismissedCategory,
    PerShopperCap,
    OfferDailyCap,
    OfferMinGap,
    OfferQuietAfterDismissal,
    InControlGroup,
    BudgetSpent,
    LowerScore,

    /// <summary>The offer asks for a gateway to hear the shopper; only their phone's reports placed them.</summary>
    PhoneOnlyPresence,

    /// <summary>The shopper is in the store's global control group: no brand's coupon, ever.</summary>
    GlobalControl,
}
