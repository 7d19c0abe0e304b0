using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Offers;

/// <summary>
/// The budget's ledger. A reservation is stored with the coupon it is for before the shopper writes
/// the coupon to the wallet, and settled when the shopper confirms. If the shopper's process dies in
/// between, the reservation stays open: after <see cref="EngineOptions.ReservationGrace"/> the offer
/// asks the shopper's wallet and takes the unit back if the coupon is not there. So the budget is
/// never overspent and, after a crash, not lost either.
///
/// Expiry needs no timer or reminder: open coupons are counted by the moment they expire, and a count
/// whose moment has passed is expired, judged whenever the stats are read. That holds across restarts,
/// where in-memory reminders on localhost clustering would be lost.
/// </summary>
internal sealed partial class OfferGrain
{
    private const int ExpiryBuckets = 360;
    private static readonly TimeSpan MinExpiryBucket = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxExpiryBucket = TimeSpan.FromHours(1);

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

        FoldExpired(time.GetUtcNow());
        s.Issued++;
        reservation = reservation with { Ordinal = ++s.LastOrdinal };
        s.Pending[reservation.CouponId] = reservation;
        var bucket = BucketOf(reservation.ExpiresAt, offer.CouponTtlMinutes);
        s.Expiring[bucket] = s.Expiring.GetValueOrDefault(bucket) + 1;
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
            TakeFromBucket(reservation.ExpiresAt);
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

    public async Task RecordClosed(CouponFeedback feedback, DateTimeOffset expiresAt, DateTimeOffset at, long ordinal)
    {
        var s = state.State;
        if (CountedCoupons.Has(CountedOf(feedback), ordinal)
            || (feedback == CouponFeedback.Dismissed && CountedCoupons.Has(s.RedeemedCounted, ordinal)))
        {
            return;
        }

        FoldExpired(time.GetUtcNow());

        // Kept to be put back if the write fails: the shopper sends this again and it must count once.
        var expired = s.Expired;
        var expiring = new Dictionary<long, long>(s.Expiring);

        // A coupon dismissed and then used at the till counts as redeemed, not dismissed: the shopper changed
        // their mind. It closed once, with the dismissal, so its expiry is not taken again.
        var changedMind = feedback == CouponFeedback.Redeemed && CountedCoupons.Has(s.DismissedCounted, ordinal);
        if (changedMind)
        {
            s.Dismissed--;
        }
        else if (at < expiresAt && !TakeFromBucket(expiresAt) && s.Expired > 0)
        {
            // Closed in time, but its bucket (rounded up) was already counted as expired.
            s.Expired--;
        }

        await CountAndStoreAsync(feedback, ordinal, () =>
        {
            s.Expired = expired;
            s.Expiring = expiring;
            if (changedMind)
            {
                s.Dismissed++;
            }
        });
    }

    /// <summary>Coupons expired by <paramref name="now"/>: those folded already and those whose bucket has passed.</summary>
    private long ExpiredBy(DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        return state.State.Expired + state.State.Expiring.Where(b => b.Key <= seconds).Sum(b => b.Value);
    }

    private void FoldExpired(DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        foreach (var key in state.State.Expiring.Keys.Where(k => k <= seconds).ToList())
        {
            state.State.Expired += state.State.Expiring[key];
            state.State.Expiring.Remove(key);
        }
    }

    /// <summary>
    /// The moment (Unix seconds) by which a coupon expiring at <paramref name="expiresAt"/> counts as expired:
    /// rounded up to a bucket of a 360th of the offer's coupon lifetime (10 s to 1 h), so an offer keeps a
    /// few hundred counts, not one per coupon.
    /// </summary>
    private static long BucketOf(DateTimeOffset expiresAt, int ttlMinutes)
    {
        var size = (long)Math.Clamp(TimeSpan.FromMinutes(ttlMinutes).TotalSeconds / ExpiryBuckets, MinExpiryBucket.TotalSeconds, MaxExpiryBucket.TotalSeconds);
        var seconds = (expiresAt.ToUnixTimeMilliseconds() + 999) / 1000;
        return (seconds + size - 1) / size * size;
    }

    /// <summary>Takes one coupon out of the earliest bucket not before its expiry; false if none is left.</summary>
    private bool TakeFromBucket(DateTimeOffset expiresAt)
    {
        var seconds = expiresAt.ToUnixTimeSeconds();
        var key = state.State.Expiring.Keys.Where(k => k >= seconds).DefaultIfEmpty(long.MinValue).Min();
        if (key == long.MinValue)
        {
            return false;
        }

        if (--state.State.Expiring[key] == 0)
        {
            state.State.Expiring.Remove(key);
        }

        return true;
    }

    private bool GiveBack(string couponId)
    {
        if (!state.State.Pending.Remove(couponId, out var reservation))
        {
            return false;
        }

        _checkNext.Remove(couponId);
        state.State.Issued = Math.Max(0, state.State.Issued - 1);
        TakeFromBucket(reservation.ExpiresAt);
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
