using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Shoppers;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// <see cref="CouponResponses"/> without a host: each answer to a coupon stores the wallet (with its outboxes: the
/// offer's feedback and the store's event) before anyone is told, and an answer the wallet cannot take changes and
/// stores nothing.
/// </summary>
public sealed class CouponResponsesTests
{
    private readonly PlainShopper _shopper = new(PlainStore.Offer());

    [Fact]
    public async Task Opening_stores_the_delivery_before_sending_the_outbox_and_telling_the_results()
    {
        var coupon = await IssueAsync();

        Assert.True(await _shopper.Responses.AcknowledgeAsync(coupon.CouponId));

        Assert.Equal(["store shopper", "send delivered", "flush 1", "Opened offer-1", "Opened in dairy"], _shopper.Log);
        Assert.Equal(CouponStatus.Delivered, _shopper.Shopper.Wallet[0].Status);

        // A second acknowledgement changes nothing.
        _shopper.Log.Clear();
        Assert.True(await _shopper.Responses.AcknowledgeAsync(coupon.CouponId));
        Assert.Empty(_shopper.Log);
    }

    [Fact]
    public async Task A_dismissal_is_stored_then_learnt_then_sent()
    {
        var coupon = await IssueAsync();

        Assert.True(await _shopper.Responses.DismissAsync(coupon.CouponId));

        Assert.Equal(["store shopper", "send dismissed", "learn False", "flush 2", "Dismissed offer-1"], _shopper.Log);
        Assert.Equal([CouponFeedback.Delivered, CouponFeedback.Dismissed], _shopper.Shopper.Outbox.Select(f => f.Feedback));
    }

    [Fact]
    public async Task A_redemption_is_stored_then_learnt_sent_and_told_to_the_zone_analytics_once()
    {
        var coupon = await IssueAsync();
        var at = PlainStore.Noon.AddMinutes(3);

        await _shopper.Responses.RedeemedAsync(coupon.CouponId, at);
        await _shopper.Responses.RedeemedAsync(coupon.CouponId, at);

        Assert.Equal(["store shopper", "send redeemed", "learn True", "flush 1", "Redeemed offer-1", "Redeemed in dairy"], _shopper.Log);
        Assert.Equal(at, _shopper.Shopper.Wallet[0].ClosedAt);
    }

    [Fact]
    public async Task Not_relevant_dismisses_and_puts_the_category_out_at_once()
    {
        var coupon = await IssueAsync();

        Assert.True(await _shopper.Responses.NotRelevantAsync(coupon.CouponId));

        Assert.Equal(
            ["store shopper", "send dismissed", "learn False", "flush 2", "Dismissed offer-1", "store shopper", "send notRelevant", "NotRelevant offer-1"],
            _shopper.Log);
        Assert.Equal(-2, _shopper.Shopper.CategoryAffinity("dairy"));
    }

    [Fact]
    public async Task Answers_for_a_coupon_the_wallet_does_not_hold_change_and_store_nothing()
    {
        Assert.False(await _shopper.Responses.AcknowledgeAsync("cpn-none"));
        Assert.False(await _shopper.Responses.DismissAsync("cpn-none"));
        Assert.False(await _shopper.Responses.NotRelevantAsync("cpn-none"));
        await _shopper.Responses.RedeemedAsync("cpn-none", PlainStore.Noon);

        Assert.Empty(_shopper.Log);
        Assert.Empty(_shopper.Shopper.Outbox);
    }

    private async Task<Coupon> IssueAsync()
    {
        await _shopper.NewVisit().RecordAsync(_shopper.View, PlainStore.Approach(PlainStore.Noon), received: null);
        _shopper.Log.Clear();
        return Assert.Single(_shopper.Shopper.Wallet);
    }
}
