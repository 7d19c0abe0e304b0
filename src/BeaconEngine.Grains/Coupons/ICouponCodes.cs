using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Coupons;

/// <summary>The till's codes: filing a new coupon's code, and taking one back.</summary>
internal interface ICouponCodes
{
    /// <summary>Files <paramref name="ticket"/> under <paramref name="code"/>; false if the code is taken (the caller draws another).</summary>
    Task<bool> TryFileAsync(string code, CouponTicket ticket);

    /// <summary>Forgets the code (its coupon was not issued, or the shopper is erased).</summary>
    Task RemoveAsync(string code);
}
