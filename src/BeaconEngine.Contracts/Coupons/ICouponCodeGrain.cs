using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Coupons;

/// <summary>
/// One coupon code, the single writer of its redemption so a code is redeemed exactly once even
/// when two tills scan it at the same moment. Key: the code. New codes are filed in the grain's storage
/// by the engine (see <c>CouponCodeBook</c>), so issuing a coupon activates no grain for it.
/// </summary>
[Alias("BeaconEngine.ICouponCodeGrain")]
public interface ICouponCodeGrain : IGrainWithStringKey
{
    [Alias("Redeem")]
    Task<RedemptionResult> Redeem(string storeId, DateTimeOffset at);

    /// <summary>
    /// Forgets the code (erasure). Interleaves with a redemption in progress, which may be waiting on the
    /// shopper who is being erased: without it, erase and redeem would wait on each other.
    /// </summary>
    [AlwaysInterleave, Alias("Remove")]
    Task Remove();
}
