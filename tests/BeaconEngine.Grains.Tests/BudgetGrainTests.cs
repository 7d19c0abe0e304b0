using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Tests;

/// <summary>The budget's ledger on the fake clock and on storage that fails when told to.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class BudgetGrainTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_wallet_write_that_fails_issues_nothing_and_gives_the_budget_unit_back()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        var offer = await store.OfferAsync(maxCoupons: 1);
        var shopper = await store.ShopperAsync();

        await cluster.Faults("shopper").AddFaultOnWrite(shopper.GetGrainId(), new InvalidOperationException("disk full"));
        await Assert.ThrowsAnyAsync<Exception>(async () => await shopper.RecordSightings(store.Approach()));

        Assert.Empty(await shopper.GetWallet());
        Assert.Empty(cluster.Pushes.To(shopper.GetPrimaryKeyString()));
        var stats = await offer.GetStats();
        Assert.Equal(0, stats!.Issued);
        Assert.Equal(1, stats.RemainingBudget);

        // The offer's only unit is there for the next shopper placed.
        var next = await store.ShopperAsync();
        await next.RecordSightings(store.Approach());
        Assert.Single(await next.GetWallet());
        Assert.Equal(0, (await offer.GetStats())!.RemainingBudget);
    }

    [Fact]
    public async Task A_reservation_no_wallet_holds_is_given_back_after_a_whole_grace_period_and_not_before()
    {
        var store = await new StoreBuilder(cluster).WithAislesAsync();
        var offer = await store.OfferAsync(maxCoupons: 5);
        var nobody = await store.ShopperAsync();
        var grace = new EngineOptions().ReservationGrace;

        // As if the shopper's process died between the reservation and the wallet write.
        Assert.NotNull(await offer.TryReserve(new CouponReservation("cpn-lost", nobody.GetPrimaryKeyString(), cluster.Clock.GetUtcNow().AddHours(1))));
        Assert.Equal(4, (await offer.GetStats())!.RemainingBudget);

        // The first check only notes it as open; a reservation is asked about after a whole grace period open.
        cluster.Clock.Advance(grace);
        Assert.Equal(4, (await offer.GetStats())!.RemainingBudget);
        cluster.Clock.Advance(grace - TimeSpan.FromSeconds(1));
        Assert.Equal(4, (await offer.GetStats())!.RemainingBudget);

        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        var settled = await Conditions.UntilAsync(offer.GetStats, s => s!.RemainingBudget == 5, "the reservation to be given back");
        Assert.Equal(0, settled!.Issued);
    }

}
