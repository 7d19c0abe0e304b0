using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Coupons;

internal sealed partial class CouponCodeGrain(
    [PersistentState(CouponCodeState.Name, StorageNames.State)] IPersistentState<CouponCodeState> state,
    ILogger<CouponCodeGrain> logger) : Grain, ICouponCodeGrain
{
    public async Task<RedemptionResult> Redeem(string storeId, DateTimeOffset at)
    {
        var ticket = await TicketAsync();
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

        // The code's own write is the single point of truth: once it is stored the till gets its 200,
        // even if the wallet or the counters could not be told (they are informational).
        state.State.RedeemedAt = at;
        await state.WriteStateAsync();
        try
        {
            await GrainFactory.GetGrain<IShopperGrain>(ticket.ShopperId).MarkRedeemed(ticket.CouponId, at);
            await GrainFactory.GetGrain<IOfferGrain>(ticket.OfferId).RecordClosed(CouponFeedback.Redeemed, ticket.ExpiresAt, at);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFollowUpFailed(logger, ex, ticket.CouponId);
        }

        return new RedemptionResult(RedemptionOutcome.Redeemed, ticket);
    }

    public async Task Remove()
    {
        await TicketAsync();
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    /// <summary>
    /// The ticket; storage is read again while there is none, since <see cref="CouponCodeBook"/> files
    /// new codes in storage and this activation may be older than its code.
    /// </summary>
    private async ValueTask<CouponTicket?> TicketAsync()
    {
        if (state.State.Ticket is null)
        {
            await state.ReadStateAsync();
        }

        return state.State.Ticket;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Coupon {CouponId} was redeemed, but its wallet or counters could not be updated")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception ex, string couponId);
}
