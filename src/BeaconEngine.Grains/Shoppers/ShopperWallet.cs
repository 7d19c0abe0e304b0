using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// The wallet's rules over a <see cref="ShopperState"/>: what the shopper can use, and how a coupon moves from
/// issued to delivered, dismissed or redeemed. Each change that an offer must count goes into the outbox with
/// it, so the two are stored together. Methods return the coupon as it was before they changed it, or null
/// when they changed nothing.
/// </summary>
internal readonly struct ShopperWallet(ShopperState state)
{
    // Closed or expired coupons stay in the wallet's history this long (per-shopper caps count separately).
    public static readonly TimeSpan ClosedCouponsKept = TimeSpan.FromDays(30);

    public bool Holds(string couponId) => Find(couponId) >= 0;

    public Coupon? Get(string couponId) => Find(couponId) is >= 0 and var i ? state.Wallet[i] : null;

    /// <summary>Coupons the shopper can still use, newest first.</summary>
    public Coupon[] Usable(DateTimeOffset now) =>
        [.. Coupons.Where(c => c.IsUsableAt(now)).OrderByDescending(c => c.IssuedAt)];

    /// <summary>Coupons issued but not yet acknowledged by the app, oldest first.</summary>
    public Coupon[] Unacknowledged(DateTimeOffset now) =>
        [.. Coupons.Where(c => c.Status == CouponStatus.Issued && now < c.ExpiresAt).OrderBy(c => c.IssuedAt)];

    public void Receive(Coupon coupon) => state.Receive(coupon, ClosedCouponsKept);

    /// <summary>Takes back a coupon whose wallet write failed: not stored means not issued.</summary>
    public void Undo(Coupon coupon)
    {
        state.Wallet.Remove(coupon);
        state.TakeBackEvent(Contracts.Events.StoreEventTypes.Issued, coupon.CouponId);
        state.Unexpose(new OfferExposure(coupon.OfferId, coupon.BrandId, Treated: true, coupon.IssuedAt));
        state.CouponsPerOffer[coupon.OfferId] = Math.Max(0, state.CouponsReceived(coupon.OfferId) - 1);
        state.LastCouponAt = state.Wallet.Count == 0 ? null : state.Wallet.Max(c => c.IssuedAt);
    }

    /// <summary>The app has the coupon.</summary>
    public Coupon? Acknowledge(string couponId, DateTimeOffset now)
    {
        if (Find(couponId) is not (>= 0 and var i) || state.Wallet[i] is not { Status: CouponStatus.Issued } coupon)
        {
            return null;
        }

        state.Wallet[i] = coupon with { Status = CouponStatus.Delivered, AcknowledgedAt = now };
        state.Outbox.Add(new OfferFeedback(coupon.OfferId, CouponFeedback.Delivered, coupon.ExpiresAt, now, coupon.Ordinal));
        return coupon;
    }

    /// <summary>The shopper put the coupon away; it teaches the rules a little less liking of its kind.</summary>
    public Coupon? Dismiss(string couponId, DateTimeOffset now)
    {
        if (Find(couponId) is not (>= 0 and var i) || state.Wallet[i] is not { Status: CouponStatus.Issued or CouponStatus.Delivered } coupon)
        {
            return null;
        }

        state.Wallet[i] = coupon with { Status = CouponStatus.Dismissed, AcknowledgedAt = coupon.AcknowledgedAt ?? now, ClosedAt = now };
        state.LastDismissalAt = now;
        state.Learn(coupon, -1);
        if (coupon.Status == CouponStatus.Issued)
        {
            // A dismissal proves the phone received it.
            state.Outbox.Add(new OfferFeedback(coupon.OfferId, CouponFeedback.Delivered, coupon.ExpiresAt, now, coupon.Ordinal));
        }

        state.Outbox.Add(new OfferFeedback(coupon.OfferId, CouponFeedback.Dismissed, coupon.ExpiresAt, now, coupon.Ordinal));
        return coupon;
    }

    /// <summary>The till redeemed the coupon; the offer counts it from the outbox, stored with the change.</summary>
    public Coupon? MarkRedeemed(string couponId, DateTimeOffset at)
    {
        if (Find(couponId) is not (>= 0 and var i) || state.Wallet[i] is not { } coupon || coupon.Status == CouponStatus.Redeemed)
        {
            return null;
        }

        state.Wallet[i] = coupon with { Status = CouponStatus.Redeemed, ClosedAt = at };
        state.Learn(coupon, +1);
        state.Outbox.Add(new OfferFeedback(coupon.OfferId, CouponFeedback.Redeemed, coupon.ExpiresAt, at, coupon.Ordinal));
        return coupon;
    }

    /// <summary>
    /// What a till's scan of a sealed <paramref name="code"/> finds in this wallet, the code's one record: not found,
    /// already redeemed, expired, or redeemable now (<see cref="RedemptionOutcome.Redeemed"/>; the caller marks it).
    /// </summary>
    public RedemptionResult Scan(string shopperId, string storeId, string code, DateTimeOffset at)
    {
        if (state.Profile?.StoreId != storeId || state.WalletIfAny()?.Find(c => c.Code == code) is not { } coupon)
        {
            return new RedemptionResult(RedemptionOutcome.NotFound, null);
        }

        var ticket = new CouponTicket(storeId, shopperId, coupon.CouponId, coupon.OfferId, coupon.ExpiresAt);
        return new RedemptionResult(
            coupon.Status == CouponStatus.Redeemed ? RedemptionOutcome.AlreadyRedeemed
                : at >= coupon.ExpiresAt ? RedemptionOutcome.Expired
                : RedemptionOutcome.Redeemed,
            ticket);
    }

    // Reading an empty wallet makes no list.
    private IEnumerable<Coupon> Coupons => state.WalletIfAny() ?? [];

    private int Find(string couponId) => state.WalletIfAny()?.FindIndex(c => c.CouponId == couponId) ?? -1;
}
