using BeaconEngine.Rules.Learning;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Policy;
using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Rules.Tests;

/// <summary>The store's global control group: its size, its stability, and the rules keeping every coupon from it.</summary>
public sealed class GlobalControlTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 100_000).Select(i => $"shp_{i:x8}")];

    [Fact]
    public void The_share_of_shoppers_held_out_is_the_share_asked_for()
    {
        foreach (var share in new[] { 0.01, 0.05, 0.15 })
        {
            var held = Keys.Count(k => GlobalControl.Contains(share, k)) / (double)Keys.Length;

            // Binomial spread over 100,000 keys is at most 0.0012; four of those either side.
            Assert.InRange(held, share - 0.005, share + 0.005);
        }

        Assert.DoesNotContain(Keys, k => GlobalControl.Contains(0, k));
        Assert.False(GlobalControl.Contains(0.15, string.Empty));
    }

    [Fact]
    public void Membership_is_stable_and_raising_the_share_only_adds_shoppers()
    {
        var at5 = Keys.Where(k => GlobalControl.Contains(0.05, k)).ToHashSet();
        Assert.Equal(at5, Keys.Where(k => GlobalControl.Contains(0.05, k)).ToHashSet());
        Assert.True(at5.IsSubsetOf(Keys.Where(k => GlobalControl.Contains(0.10, k))));
    }

    [Fact]
    public void A_shopper_in_the_global_control_group_gets_no_offer_from_any_brand()
    {
        var offers = new[] { "a", "b", "c" }.Select(brand => new Offer
        {
            OfferId = $"offer-{brand}", BrandId = brand, ZoneIds = ["dairy"], Discount = new Discount(DiscountKind.Percent, 10), HoldoutShare = 0,
        });
        var catalog = new OfferCatalog(offers, TimeZoneInfo.Utc, ContactPolicy.Default with { GlobalControlShare = 0.15 });
        var inGroup = Keys.First(k => GlobalControl.Contains(0.15, k));
        var outside = Keys.First(k => !GlobalControl.Contains(0.15, k));
        var at = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        var enter = new ZoneEvent("dairy", OfferTrigger.Enter, TimeSpan.Zero, at);

        var held = OfferEngine.Explain(catalog, enter, new FakeShopper { ShopperKey = inGroup }, new RedemptionModel());
        Assert.Equal((DecisionKind.None, Exclusion.GlobalControl), (held.Decision.Kind, held.Decision.BlockedBy));
        Assert.All(held.Candidates, c => Assert.Equal(Exclusion.GlobalControl, c.Exclusion));

        Assert.Equal(DecisionKind.Issue, OfferEngine.Decide(catalog, enter, new FakeShopper { ShopperKey = outside }, new RedemptionModel()).Kind);
    }
}
