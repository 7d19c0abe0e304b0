using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Coupons;

internal sealed partial class CouponCodeGrain : ICouponLookupGrain
{
    public async Task<CouponTicket?> GetTicket() => await TicketAsync();
}
