using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Grains.Offers;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// One owner per count: the offer's results count deliveries and dismissals once per coupon, and take over what
/// an offer's ledger counted when it still kept them (rows stored by an older version).
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class OfferCountOwnersTests(GrainCluster cluster)
{
    [Fact]
    public void Feedback_counts_once_per_coupon_and_a_redemption_takes_a_dismissal_back_once()
    {
        var counts = new OfferFeedbackState();
        Assert.NotNull(counts.Count(CouponFeedback.Delivered, 1));
        Assert.Null(counts.Count(CouponFeedback.Delivered, 1));
        Assert.NotNull(counts.Count(CouponFeedback.Dismissed, 1));
        Assert.Null(counts.Count(CouponFeedback.Dismissed, 1));
        Assert.Null(counts.Count(CouponFeedback.Redeemed, 2));
        Assert.Equal((1L, 1L), (counts.Delivered, counts.Dismissed));

        // Dismissed, then used at the till after all: no longer dismissed, however often either is sent again.
        Assert.NotNull(counts.Count(CouponFeedback.Redeemed, 1));
        Assert.Null(counts.Count(CouponFeedback.Redeemed, 1));
        Assert.Null(counts.Count(CouponFeedback.Dismissed, 1));
        Assert.Equal((1L, 0L), (counts.Delivered, counts.Dismissed));

        // A count whose write failed is taken back, so the resend counts it.
        var undo = counts.Count(CouponFeedback.Delivered, 3)!;
        undo();
        Assert.Equal(1, counts.Delivered);
        Assert.NotNull(counts.Count(CouponFeedback.Delivered, 3));
        Assert.Equal(2, counts.Delivered);
    }

    [Fact]
    public async Task An_offer_whose_ledger_counted_feedback_before_hands_it_to_its_results_once()
    {
        // A ledger row as an older version stored it: coupons 1 and 2 delivered, 2 dismissed, 3 dismissed and then redeemed.
        var offerId = $"offer-{Guid.NewGuid():N}"[..16];
        var ledger = cluster.Grains.GetGrain<IOfferGrain>(offerId);
        var row = new OfferState { Issued = 3, LastOrdinal = 3, LegacyDelivered = 3, LegacyDismissed = 1, Redeemed = 1 };
        foreach (var (ordinal, delivered, dismissed, redeemed) in new[] { (1, true, false, false), (2, true, true, false), (3, true, true, true) })
        {
            row.LegacyDeliveredCounted = Mark(row.LegacyDeliveredCounted, ordinal, delivered);
            row.LegacyDismissedCounted = Mark(row.LegacyDismissedCounted, ordinal, dismissed);
            row.RedeemedCounted = Mark(row.RedeemedCounted, ordinal, redeemed);
        }

        await cluster.Storage.WriteStateAsync("offer", ledger.GetGrainId(), new GrainState<OfferState>(row));

        var results = cluster.Grains.GetGrain<IOfferAnalyticsGrain>(offerId);
        var report = await results.GetReport(cluster.Clock.GetUtcNow());
        Assert.Equal((3L, 1L), (report.CouponsDelivered, report.CouponsDismissed));
        Assert.Null(await ledger.GetLedgerFeedback());

        // Feedback the shoppers' outboxes send again counts nothing twice, also after the results are read from storage.
        await cluster.DeactivateAsync(results);
        await results.RecordFeedback(CouponFeedback.Delivered, 1);
        await results.RecordFeedback(CouponFeedback.Dismissed, 2);
        await results.RecordFeedback(CouponFeedback.Redeemed, 3);
        report = await results.GetReport(cluster.Clock.GetUtcNow());
        Assert.Equal((3L, 1L), (report.CouponsDelivered, report.CouponsDismissed));

        // The ledger let go of what it handed over and keeps its own counts only.
        var stored = new GrainState<OfferState>();
        await cluster.Storage.ReadStateAsync("offer", ledger.GetGrainId(), stored);
        var kept = stored.State!;
        Assert.Equal((0L, 0L, 0, 0), (kept.LegacyDelivered, kept.LegacyDismissed, kept.LegacyDeliveredCounted.Length, kept.LegacyDismissedCounted.Length));
        Assert.Equal((3L, 1L), (kept.Issued, kept.Redeemed));
    }

    private static byte[] Mark(byte[] bits, long ordinal, bool mark) =>
        mark && CountedCoupons.TryMark(bits, ordinal, out var marked) ? marked : bits;
}
