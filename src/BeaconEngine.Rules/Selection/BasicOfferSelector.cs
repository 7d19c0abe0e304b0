using BeaconEngine.Rules.Offers;

namespace BeaconEngine.Rules.Selection;

/// <summary>
/// First rules step: an offer is eligible when it targets the zone, is within its validity window,
/// the shopper has dwelt long enough and has not reached the offer's per-shopper cap.
/// </summary>
public sealed class BasicOfferSelector : IOfferSelector
{
    public int SelectEligible(OfferCatalog catalog, in ZoneEvent zoneEvent, IShopperHistory shopper, Span<Offer?> eligible)
    {
        if (!shopper.AcceptsOffers)
        {
            return 0;
        }

        var written = 0;
        foreach (var offer in catalog.InZone(zoneEvent.ZoneId))
        {
            if (written == eligible.Length)
            {
                break;
            }

            if (offer.IsValidAt(zoneEvent.At)
                && zoneEvent.Dwell >= offer.MinDwell
                && shopper.CouponsReceived(offer.OfferId) < offer.MaxPerShopper)
            {
                eligible[written++] = offer;
            }
        }

        return written;
    }
}
