using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Coupons;

internal sealed partial class CouponCodeGrain(
    [PersistentState(CouponCodeState.Name, StorageNames.State)] IPersistentState<CouponCodeState> state,
    ILogger<CouponCodeGrain> logger) : Grain, ICouponCodeGrain
{
    private static readonly TimeSpan WalletRetry = TimeSpan.FromSeconds(5);
    private IGrainTimer? _retry;

    public async Task<RedemptionResult> Redeem(string storeId, DateTimeOffset at)
    {
        var ticket = await TicketAsync();
        if (ticket is null || ticket.StoreId != storeId)
        {
            return new RedemptionResult(RedemptionOutcome.NotFound, null);
        }

        if (state.State.RedeemedAt is { } redeemedAt)
        {
            // A till that got no answer (the server died between the code's write and the wallet's) sends the
            // redemption again: the wallet is told now. It counts once, however often it is told.
            await TellWalletAsync(ticket, redeemedAt);
            return new RedemptionResult(RedemptionOutcome.AlreadyRedeemed, ticket);
        }

        if (at >= ticket.ExpiresAt)
        {
            return new RedemptionResult(RedemptionOutcome.Expired, ticket);
        }

        // The code's own write is the single point of truth: once it is stored the till gets its 200. The
        // wallet then marks the coupon redeemed and its outbox counts it for the offer, once per coupon.
        state.State.RedeemedAt = at;
        await state.WriteStateAsync();
        await TellWalletAsync(ticket, at);
        return new RedemptionResult(RedemptionOutcome.Redeemed, ticket);
    }

    /// <summary>Marks the coupon redeemed in the wallet; if that fails, again every few seconds while the code is active.</summary>
    private async Task TellWalletAsync(CouponTicket ticket, DateTimeOffset at)
    {
        try
        {
            await GrainFactory.GetGrain<IShopperGrain>(ticket.ShopperId).MarkRedeemed(ticket.CouponId, at);
            _retry?.Dispose();
            _retry = null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFollowUpFailed(logger, ex, ticket.CouponId);
            _retry ??= this.RegisterGrainTimer(_ => TellWalletAsync(ticket, at), new GrainTimerCreationOptions(WalletRetry, WalletRetry) { KeepAlive = true });
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Coupon {CouponId} was redeemed, but its wallet could not be told yet; trying again")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception ex, string couponId);
}
