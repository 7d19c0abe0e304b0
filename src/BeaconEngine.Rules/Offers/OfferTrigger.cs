namespace BeaconEngine.Rules.Offers;

/// <summary>What moment of a visit to a zone an offer answers.</summary>
public enum OfferTrigger
{
    /// <summary>On entering the zone.</summary>
    Enter,

    /// <summary>Once the shopper has dwelt at least the offer's minimum dwell (while still there).</summary>
    Dwell,

    /// <summary>On leaving the zone (e.g. "forgot something?").</summary>
    Exit,
}
