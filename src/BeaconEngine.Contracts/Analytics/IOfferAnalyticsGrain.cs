using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// An offer's results over time and the shoppers in its treated and control groups (as pseudonyms), for
/// lift. Key: offer id. Events are one-way: results are informational and never hold up a coupon.
/// </summary>
[Alias("BeaconEngine.IOfferAnalyticsGrain")]
public interface IOfferAnalyticsGrain : IGrainWithStringKey
{
    [OneWay, Alias("Record")]
    Task Record(OfferEvent offerEvent);

    /// <summary>A shopper in one of the groups bought the offer's brand at <paramref name="at"/>; counts once per shopper, and only after they joined the group.</summary>
    [Alias("RecordPurchase")]
    Task<bool> RecordPurchase(string shopperKey, DateTimeOffset at);

    /// <summary>The results as of <paramref name="now"/> (coupons past their expiry unredeemed count as expired).</summary>
    [ReadOnly, Alias("GetReport")]
    Task<OfferReport> GetReport(DateTimeOffset now);
}
