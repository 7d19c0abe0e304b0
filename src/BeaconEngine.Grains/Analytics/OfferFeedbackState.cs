using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Offers;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// An offer's exact delivered and dismissed counts, from the shoppers' stored feedback: a row of its own,
/// stored before the feedback is answered, apart from the results that are stored behind.
/// </summary>
[GenerateSerializer]
public sealed class OfferFeedbackState
{
    /// <summary>Coupons the app acknowledged, or the shopper dismissed (which proves delivery).</summary>
    [Id(0)] public long Delivered { get; set; }

    /// <summary>Coupons dismissed (or marked not relevant) and not redeemed since.</summary>
    [Id(1)] public long Dismissed { get; set; }

    /// <summary>Which coupons' delivery is counted, one bit per ordinal: feedback sent again counts once.</summary>
    [Id(2)] public byte[] DeliveredCounted { get; set; } = [];

    /// <summary>Which coupons' dismissal is counted, one bit per ordinal.</summary>
    [Id(3)] public byte[] DismissedCounted { get; set; } = [];

    /// <summary>Dismissed coupons redeemed after all, taken off <see cref="Dismissed"/> once each.</summary>
    [Id(4)] public byte[] RedeemedAfterDismissal { get; set; } = [];

    /// <summary>Whether what the offer's ledger counted before this row existed has been taken over.</summary>
    [Id(5)] public bool LedgerTakenOver { get; set; }

    /// <summary>
    /// Counts <paramref name="feedback"/> on the coupon of <paramref name="ordinal"/>, once per coupon; a redemption
    /// takes a counted dismissal back (the shopper changed their mind). Returns what takes the change back if it
    /// cannot be stored, or null when nothing changed.
    /// </summary>
    public Action? Count(CouponFeedback feedback, long ordinal)
    {
        switch (feedback)
        {
            case CouponFeedback.Delivered when CountedCoupons.TryMark(DeliveredCounted, ordinal, out var marked):
                DeliveredCounted = marked;
                Delivered++;
                return () => (Delivered, DeliveredCounted) = (Delivered - 1, CountedCoupons.Unmark(marked, ordinal));
            case CouponFeedback.Dismissed when !CountedCoupons.Has(RedeemedAfterDismissal, ordinal) && CountedCoupons.TryMark(DismissedCounted, ordinal, out var marked):
                DismissedCounted = marked;
                Dismissed++;
                return () => (Dismissed, DismissedCounted) = (Dismissed - 1, CountedCoupons.Unmark(marked, ordinal));
            case CouponFeedback.Redeemed when CountedCoupons.Has(DismissedCounted, ordinal) && CountedCoupons.TryMark(RedeemedAfterDismissal, ordinal, out var marked):
                RedeemedAfterDismissal = marked;
                Dismissed--;
                return () => (Dismissed, RedeemedAfterDismissal) = (Dismissed + 1, CountedCoupons.Unmark(marked, ordinal));
            default:
                return null;
        }
    }

    /// <summary>Adds what the offer's ledger counted before this row existed.</summary>
    public void TakeOver(LedgerFeedback ledger)
    {
        Delivered += ledger.Delivered;
        Dismissed += ledger.Dismissed;
        DeliveredCounted = CountedCoupons.Either(DeliveredCounted, ledger.DeliveredCounted);
        DismissedCounted = CountedCoupons.Either(DismissedCounted, ledger.DismissedCounted);
        RedeemedAfterDismissal = CountedCoupons.Either(RedeemedAfterDismissal, ledger.RedeemedAfterDismissal);
        LedgerTakenOver = true;
    }
}
