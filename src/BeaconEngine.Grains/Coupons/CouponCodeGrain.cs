using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Coupons;

internal sealed class CouponCodeGrain(
    [PersistentState("code", StorageNames.State)] IPersistentState<CouponCodeState> state) : Grain, ICouponCodeGrain
{
    public async Task<bool> Register(CouponTicket ticket)
    {
        if (state.State.Ticket is not null)
        {
            return false;
        }

        state.State.Ticket = ticket;
        await state.WriteStateAsync();
        return true;
    }

    public async Task<RedemptionResult> Redeem(string storeId, DateTimeOffset at)
    {
        var ticket = state.State.Ticket;
        if (ticket is null || ticket.StoreId != storeId)
        {
            return new RedemptionResult(RedemptionOutcome.NotFound, null);
        }

        if (state.State.RedeemedAt is not null)
        {
            return new RedemptionResult(RedemptionOutcome.AlreadyRedeemed, ticket);
        }

        if (at >= ticket.ExpiresAt)
        {
            return new RedemptionResult(RedemptionOutcome.Expired, ticket);
        }

        // The code's own write is the single point of truth; the wallet and the counters follow it.
        state.State.RedeemedAt = at;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IShopperGrain>(ticket.ShopperId).MarkRedeemed(ticket.CouponId, at);
        await GrainFactory.GetGrain<IOfferGrain>(ticket.OfferId).RecordFeedback(CouponFeedback.Redeemed);
        return new RedemptionResult(RedemptionOutcome.Redeemed, ticket);
    }

    public async Task Remove()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
