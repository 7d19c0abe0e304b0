using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Rules.Tests;

public sealed class BasicOfferSelectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly BasicOfferSelector _selector = new();
    private readonly Offer?[] _buffer = new Offer?[8];

    [Fact]
    public void Only_offers_of_the_event_zone_are_eligible_best_first()
    {
        var catalog = new OfferCatalog(
        [
            Offer("small", "dairy", discount: 5),
            Offer("big", "dairy", discount: 30),
            Offer("elsewhere", "snacks", discount: 50),
            Offer("priority", "dairy", discount: 1, priority: 10),
        ]);

        Assert.Equal(["priority", "big", "small"], Select(catalog, new ZoneEvent("dairy", TimeSpan.Zero, Now), new History()));
    }

    [Fact]
    public void Dwell_validity_and_per_shopper_caps_exclude_offers()
    {
        var catalog = new OfferCatalog(
        [
            Offer("dwell", "dairy", minDwell: TimeSpan.FromSeconds(30)),
            Offer("future", "dairy", validFrom: Now.AddHours(1)),
            Offer("past", "dairy", validTo: Now),
            Offer("capped", "dairy", maxPerShopper: 2),
            Offer("ok", "dairy"),
        ]);
        var history = new History { ["capped"] = 2 };

        Assert.Equal(["ok"], Select(catalog, new ZoneEvent("dairy", TimeSpan.FromSeconds(29), Now), history));
        Assert.Equal(["dwell", "ok"], Select(catalog, new ZoneEvent("dairy", TimeSpan.FromSeconds(30), Now), history));
        history["capped"] = 1;
        Assert.Contains("capped", Select(catalog, new ZoneEvent("dairy", TimeSpan.Zero, Now), history));
    }

    [Fact]
    public void A_shopper_without_offer_consent_is_eligible_for_nothing()
    {
        var catalog = new OfferCatalog([Offer("ok", "dairy")]);
        Assert.Empty(Select(catalog, new ZoneEvent("dairy", TimeSpan.Zero, Now), new History { AcceptsOffers = false }));
    }

    private string[] Select(OfferCatalog catalog, ZoneEvent e, History history)
    {
        var n = _selector.SelectEligible(catalog, e, history, _buffer);
        return [.. _buffer.Take(n).Select(o => o!.OfferId)];
    }

    private static Offer Offer(
        string id, string zone, decimal discount = 10, double priority = 0, TimeSpan? minDwell = null,
        DateTimeOffset? validFrom = null, DateTimeOffset? validTo = null, int maxPerShopper = 1) => new()
    {
        OfferId = id,
        BrandId = "brand",
        ZoneIds = [zone],
        Discount = new Discount(DiscountKind.Percent, discount),
        Priority = priority,
        MinDwell = minDwell ?? TimeSpan.Zero,
        ValidFrom = validFrom,
        ValidTo = validTo,
        MaxPerShopper = maxPerShopper,
    };

    private sealed class History : Dictionary<string, int>, IShopperHistory
    {
        public bool AcceptsOffers { get; init; } = true;

        public int CouponsReceived(string offerId) => TryGetValue(offerId, out var n) ? n : 0;
    }
}
