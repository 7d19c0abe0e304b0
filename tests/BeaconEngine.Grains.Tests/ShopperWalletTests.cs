using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Shoppers;

namespace BeaconEngine.Grains.Tests;

/// <summary><see cref="ShopperWallet"/> without a host: a coupon's statuses, the outbox that goes with them, and expiry.</summary>
public sealed class ShopperWalletTests
{
    private static readonly DateTimeOffset Noon = PlainStore.Noon;
    private readonly ShopperState _state = PlainStore.Shopper();

    private ShopperWallet Wallet => new(_state);

    [Fact]
    public void An_acknowledgement_delivers_the_coupon_once_and_outboxes_it_once()
    {
        var coupon = Receive();

        Assert.Equal(coupon, Wallet.Acknowledge(coupon.CouponId, Noon.AddMinutes(1)));
        Assert.Null(Wallet.Acknowledge(coupon.CouponId, Noon.AddMinutes(2)));

        Assert.Equal(CouponStatus.Delivered, Wallet.Get(coupon.CouponId)!.Status);
        Assert.Equal(Noon.AddMinutes(1), Wallet.Get(coupon.CouponId)!.AcknowledgedAt);
        Assert.Equal([CouponFeedback.Delivered], _state.Outbox.Select(f => f.Feedback));
        Assert.Empty(Wallet.Unacknowledged(Noon.AddMinutes(2)));
    }

    [Fact]
    public void Dismissing_an_unacknowledged_coupon_counts_its_delivery_too_and_lowers_the_liking_of_its_kind()
    {
        var coupon = Receive();

        Assert.NotNull(Wallet.Dismiss(coupon.CouponId, Noon.AddMinutes(1)));

        Assert.Equal([CouponFeedback.Delivered, CouponFeedback.Dismissed], _state.Outbox.Select(f => f.Feedback));
        Assert.Equal(-1, _state.CategoryAffinity("dairy"));
        Assert.Equal(-1, _state.BrandAffinity("brand-a"));
        Assert.Equal(Noon.AddMinutes(1), _state.LastDismissalAt);
        Assert.Empty(Wallet.Usable(Noon.AddMinutes(1)));
    }

    [Fact]
    public void A_redeemed_coupon_is_redeemed_once_counted_once_and_can_no_longer_be_dismissed()
    {
        var coupon = Receive();

        Assert.NotNull(Wallet.MarkRedeemed(coupon.CouponId, Noon.AddMinutes(5)));
        Assert.Null(Wallet.MarkRedeemed(coupon.CouponId, Noon.AddMinutes(6)));
        Assert.Null(Wallet.Dismiss(coupon.CouponId, Noon.AddMinutes(7)));

        Assert.Equal(1, _state.CategoryAffinity("dairy"));
        var counted = Assert.Single(_state.Outbox);
        Assert.Equal((CouponFeedback.Redeemed, Noon.AddMinutes(5)), (counted.Feedback, counted.At));
    }

    [Fact]
    public void A_coupon_is_usable_until_the_tick_before_it_expires()
    {
        var coupon = Receive();

        Assert.Single(Wallet.Usable(coupon.ExpiresAt.AddTicks(-1)));
        Assert.Empty(Wallet.Usable(coupon.ExpiresAt));
        Assert.Empty(Wallet.Unacknowledged(coupon.ExpiresAt));
        Assert.True(Wallet.Holds(coupon.CouponId));
    }

    [Fact]
    public void Undoing_a_coupon_takes_back_its_count_and_the_time_of_the_last_coupon()
    {
        var first = Receive("cpn-1", Noon);
        var second = Receive("cpn-2", Noon.AddMinutes(10));

        Wallet.Undo(second);

        Assert.Equal([first], _state.Wallet);
        Assert.Equal(1, _state.CouponsReceived("offer-1"));
        Assert.Equal(Noon, _state.LastCouponAt);
        Assert.False(Wallet.Holds("cpn-2"));
    }

    private Coupon Receive(string couponId = "cpn-1", DateTimeOffset? at = null)
    {
        var issuedAt = at ?? Noon;
        var coupon = new Coupon
        {
            CouponId = couponId,
            OfferId = "offer-1",
            BrandId = "brand-a",
            Title = "20% off yoghurt",
            DiscountKind = "percent",
            DiscountValue = 20,
            Category = "dairy",
            ZoneId = "dairy",
            Code = "ABCDEFGHJK",
            IssuedAt = issuedAt,
            ExpiresAt = issuedAt.AddHours(1),
            Status = CouponStatus.Issued,
        };
        Wallet.Receive(coupon);
        return coupon;
    }
}
