namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// An offer's results: counts overall, per zone and per hour (UTC, oldest first), and the groups behind its
/// lift. Spend is what each group's shoppers spent on the offer's brand after joining: its sum and sum of
/// squares over shoppers, for the mean and variance per shopper. <see cref="CouponsDelivered"/> and
/// <see cref="CouponsDismissed"/> count coupons, each once, from the shoppers' stored feedback (a dismissal also
/// proves delivery; a coupon dismissed and then redeemed is not dismissed), where <see cref="Total"/> counts events.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.OfferReport")]
public sealed record OfferReport(
    CountsByKind Total,
    Dictionary<string, CountsByKind> ByZone,
    SortedDictionary<DateTimeOffset, CountsByKind> ByHour,
    long TreatedShoppers,
    long TreatedBuyers,
    long ControlShoppers,
    long ControlBuyers,
    double TreatedSpend = 0,
    double TreatedSpendSquares = 0,
    double ControlSpend = 0,
    double ControlSpendSquares = 0,
    long CouponsDelivered = 0,
    long CouponsDismissed = 0);
