using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Coupons;

/// <summary>The till's codes: a new coupon's code, and taking one back.</summary>
internal interface ICouponCodes
{
    /// <summary>
    /// A code for the coupon <paramref name="ticket"/> describes: sealed (nothing stored) when the shopper's id can be
    /// carried in one, otherwise drawn and filed; null if the drawn code is taken (the caller draws another).
    /// </summary>
    Task<string?> TryIssueAsync(CouponTicket ticket);

    /// <summary>Forgets the code (its coupon was not issued, or the shopper is erased); a sealed code has nothing to forget.</summary>
    Task RemoveAsync(string code);
}
