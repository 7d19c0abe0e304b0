using BeaconEngine.Rules.Offers;

namespace BeaconEngine.Rules.Selection;

/// <summary>Decides which offers a zone event makes the shopper eligible for, best first.</summary>
public interface IOfferSelector
{
    /// <summary>
    /// Writes the eligible offers, best first, into <paramref name="eligible"/> and returns how many were
    /// written. The caller tries them in order until one can be reserved (budgets live elsewhere).
    /// </summary>
    int SelectEligible(OfferCatalog catalog, in ZoneEvent zoneEvent, IShopperHistory shopper, Span<Offer?> eligible);
}
