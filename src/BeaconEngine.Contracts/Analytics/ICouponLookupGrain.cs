using BeaconEngine.Contracts.Coupons;
using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>Reads whose coupon a code is, without redeeming it (a till naming the shopper of a purchase). Key: the code.</summary>
[Alias("BeaconEngine.ICouponLookupGrain")]
public interface ICouponLookupGrain : IGrainWithStringKey
{
    /// <summary>Null for an unknown (or erased) code.</summary>
    [ReadOnly, Alias("GetTicket")]
    Task<CouponTicket?> GetTicket();
}
