using BeaconEngine.Contracts.Offers;
using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// An offer's results over time and the shoppers in its treated and control groups (as pseudonyms), for
/// lift, and its coupons' exact delivered and dismissed counts. Key: offer id. Events are one-way: results are
/// informational and never hold up a coupon.
/// </summary>
[Alias("BeaconEngine.IOfferAnalyticsGrain")]
public interface IOfferAnalyticsGrain : IGrainWithStringKey
{
    [OneWay, Alias("Record")]
    Task Record(OfferEvent offerEvent);

    /// <summary>
    /// The shopper's app acknowledged a coupon, or the shopper dismissed it or (having dismissed it) redeemed it:
    /// counted once per coupon (by <paramref name="ordinal"/>), however often the shopper's outbox sends it, and
    /// stored before it answers. These are the offer's exact delivered and dismissed counts.
    /// </summary>
    [Alias("RecordFeedback")]
    Task RecordFeedback(CouponFeedback feedback, long ordinal);

    /// <summary>
    /// A basket of a shopper in one of the groups held <paramref name="brandSpend"/> of the offer's brand at
    /// <paramref name="at"/>: it adds to their spend if they had joined by then. True if it made them a buyer
    /// (their first such basket).
    /// </summary>
    [Alias("RecordBasket")]
    Task<bool> RecordBasket(string shopperKey, DateTimeOffset at, decimal brandSpend);

    /// <summary>The results as of <paramref name="now"/> (coupons past their expiry unredeemed count as expired).</summary>
    [ReadOnly, Alias("GetReport")]
    Task<OfferReport> GetReport(DateTimeOffset now);
}
