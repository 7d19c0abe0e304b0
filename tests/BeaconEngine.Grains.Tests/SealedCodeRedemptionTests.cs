using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Tests;

/// <summary>A sealed code at the till: the shopper's wallet is its one record, so it redeems once, and erasure leaves it nothing to name.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class SealedCodeRedemptionTests(GrainCluster cluster)
{
    [Fact]
    public async Task Ten_tills_scanning_one_sealed_code_at_once_redeem_it_once_in_one_write_of_the_wallet()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        var offer = await store.OfferAsync();
        var shopper = await store.ShopperAsync();
        await shopper.RecordSightings(store.Approach());
        var coupon = Assert.Single(await shopper.GetWallet());
        var at = cluster.Clock.GetUtcNow();

        Assert.Equal(RedemptionOutcome.NotFound, (await shopper.RedeemCode("another-store", coupon.Code, at)).Outcome);
        Assert.Equal(RedemptionOutcome.NotFound, (await shopper.RedeemCode(store.StoreId, coupon.Code[..^1] + (coupon.Code[^1] == 'A' ? 'B' : 'A'), at)).Outcome);

        cluster.Costs.Reset();
        var scans = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => shopper.RedeemCode(store.StoreId, coupon.Code, at)));

        var redeemed = Assert.Single(scans, s => s.Outcome == RedemptionOutcome.Redeemed);
        Assert.All(scans.Where(s => s != redeemed), s => Assert.Equal(RedemptionOutcome.AlreadyRedeemed, s.Outcome));
        Assert.Equal(new CouponTicket(store.StoreId, shopper.GetPrimaryKeyString(), coupon.CouponId, coupon.OfferId, coupon.ExpiresAt), redeemed.Ticket);
        Assert.Equal(1, cluster.Costs.Writes.GetValueOrDefault("shopper"));
        Assert.False(cluster.Costs.Writes.ContainsKey("code"));
        await Conditions.UntilAsync(async () => (await offer.GetStats())!.Redeemed, r => r == 1, "the offer to count the redemption");
    }

    [Fact]
    public async Task An_expired_coupons_code_is_expired_and_an_erased_shoppers_code_names_nobody()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        await store.OfferAsync(couponTtlMinutes: 1);
        var shopper = await store.ShopperAsync();
        await shopper.RecordSightings(store.Approach());
        var coupon = Assert.Single(await shopper.GetWallet());

        Assert.Equal(RedemptionOutcome.Expired, (await shopper.RedeemCode(store.StoreId, coupon.Code, coupon.ExpiresAt)).Outcome);

        await shopper.Erase();
        Assert.Equal(RedemptionOutcome.NotFound, (await shopper.RedeemCode(store.StoreId, coupon.Code, cluster.Clock.GetUtcNow())).Outcome);
    }
}
