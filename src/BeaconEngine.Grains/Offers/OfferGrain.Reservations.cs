using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Offers;

/// <summary>
/// The budget's ledger. A reservation is stored with the coupon it is for before the shopper writes
/// the coupon to the wallet, and settled when the shopper confirms. If the shopper's process dies in
/// between, the reservation stays open: after <see cref="EngineOptions.ReservationGrace"/> the offer
/// asks the shopper's wallet and takes the unit back if the coupon is not there. So the budget is
/// never overspent and, after a crash, not lost either. Which coupons expired is the offer's results'
/// to count (<c>OfferAnalyticsGrain</c>), not the ledger's: the budget does not need it.
/// </summary>
internal sealed partial class OfferGrain
{
    // Reservations seen open at the last check: those still open at the next one are asked about.
    private HashSet<string> _checkNext = new(StringComparer.Ordinal);
    private IGrainTimer? _settleTimer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Loaded open reservations are old by now: check them at the first tick.
        _checkNext = new HashSet<string>(state.State.Pending.Keys, StringComparer.Ordinal);
        WatchPending();
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<CouponReservation?> TryReserve(CouponReservation reservation)
    {
        var s = state.State;
        if (s.Pending.TryGetValue(reservation.CouponId, out var held))
        {
            return held;
        }

        if (Live is not { } offer || (offer.MaxCoupons is { } max && s.Issued >= max))
        {
            return null;
        }

        s.Issued++;
        reservation = reservation with { Ordinal = ++s.LastOrdinal };
        s.Pending[reservation.CouponId] = reservation;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored means not reserved: the count must match what storage holds.
            s.Issued--;
            s.LastOrdinal--;
            s.Pending.Remove(reservation.CouponId);
            throw;
        }

        WatchPending();
        return reservation;
    }

    /// <summary>Settled in memory only: the next write stores it, and a reservation that reappears after a restart is asked about and found held.</summary>
    public Task Confirm(string couponId)
    {
        state.State.Pending.Remove(couponId);
        _checkNext.Remove(couponId);
        return Task.CompletedTask;
    }

    public async Task SettleForErasure(string couponId)
    {
        // Written even when already settled in memory (Confirm does not write): the stored ledger may still hold it.
        _checkNext.Remove(couponId);
        state.State.Pending.Remove(couponId);
        await state.WriteStateAsync();
    }

    public async Task Release(string couponId)
    {
        if (GiveBack(couponId))
        {
            await state.WriteStateAsync();
        }
    }

    private bool GiveBack(string couponId)
    {
        if (!state.State.Pending.Remove(couponId))
        {
            return false;
        }

        _checkNext.Remove(couponId);
        state.State.Issued = Math.Max(0, state.State.Issued - 1);
        return true;
    }

    private void WatchPending()
    {
        if (state.State.Pending.Count > 0 && _settleTimer is null)
        {
            var grace = options.Value.ReservationGrace;
            _settleTimer = this.RegisterGrainTimer(SettleAsync, new GrainTimerCreationOptions(grace, grace) { KeepAlive = true });
        }
    }

    /// <summary>Asks the wallets about reservations open for at least one whole grace period.</summary>
    private async Task SettleAsync(CancellationToken cancellation)
    {
        var due = _checkNext.Where(state.State.Pending.ContainsKey).ToList();
        var changed = false;
        foreach (var couponId in due)
        {
            var reservation = state.State.Pending[couponId];
            CouponHolding holding;
            try
            {
                holding = await GrainFactory.GetGrain<IShopperGrain>(reservation.ShopperId).Holds(couponId);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogCheckFailed(logger, ex, couponId);
                continue;
            }

            if (holding == CouponHolding.Held)
            {
                state.State.Pending.Remove(couponId);
                changed = true;
            }
            else if (holding == CouponHolding.NotHeld)
            {
                LogGivenBack(logger, couponId, this.GetPrimaryKeyString());
                changed |= GiveBack(couponId);
            }
        }

        if (changed)
        {
            await state.WriteStateAsync(cancellation);
        }

        _checkNext = new HashSet<string>(state.State.Pending.Keys, StringComparer.Ordinal);
        if (state.State.Pending.Count == 0)
        {
            _settleTimer?.Dispose();
            _settleTimer = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask the wallet about reserved coupon {CouponId}; asking again later")]
    private static partial void LogCheckFailed(ILogger logger, Exception ex, string couponId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Coupon {CouponId} was reserved but never reached the wallet; its budget unit goes back to offer {OfferId}")]
    private static partial void LogGivenBack(ILogger logger, string couponId, string offerId);
}
