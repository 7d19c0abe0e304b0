using BeaconEngine.Contracts.Coupons;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace BeaconEngine.Grains.Coupons;

/// <summary>
/// Files a new coupon code: its ticket is stored as the code grain's state, created only if the code
/// has no state yet, without activating the grain. The code is new and random, so its grain is
/// normally not active; one that is (a till that tried the code before it existed) reads its storage
/// again before it answers that a code is unknown. Activating a grain per coupon on the coupon's path
/// cost about as much as the rest of the decision together.
/// </summary>
public sealed class CouponCodeBook(IServiceProvider services, IGrainFactory grains) : ICouponCodes
{
    private IGrainStorage? _storage;

    public async Task<bool> TryFileAsync(string code, CouponTicket ticket)
    {
        _storage ??= services.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);
        var row = new GrainState<CouponCodeState>(new CouponCodeState { Ticket = ticket });
        try
        {
            await _storage.WriteStateAsync(CouponCodeState.Name, grains.GetGrain<ICouponCodeGrain>(code).GetGrainId(), row);
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    public Task RemoveAsync(string code) => grains.GetGrain<ICouponCodeGrain>(code).Remove();
}
