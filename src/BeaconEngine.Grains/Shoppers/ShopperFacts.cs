using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>What the rules core reads of a shopper: the durable record and the visits, read where each is kept.</summary>
internal sealed class ShopperFacts(ShopperState shopper, PresenceState presence) : IShopperFacts
{
    public string ShopperKey => shopper.ShopperKey;

    public bool AcceptsOffers => shopper.AcceptsOffers;

    public string? PrimarySegment => shopper.PrimarySegment;

    public string? LoyaltyTier => shopper.LoyaltyTier;

    public int VisitCount => presence.VisitCount;

    public DateTimeOffset? LastCouponAt => shopper.LastCouponAt;

    public DateTimeOffset? LastDismissalAt => shopper.LastDismissalAt;

    public double LikingCeiling => shopper.LikingCeiling;

    public bool HasSegment(string segment) => shopper.HasSegment(segment);

    public bool IsInterestedIn(string category) => shopper.IsInterestedIn(category);

    public bool HasOptedOut(string category) => shopper.HasOptedOut(category);

    public int CouponsReceived(string offerId) => shopper.CouponsReceived(offerId);

    public bool WasHeldOut(string offerId) => shopper.WasHeldOut(offerId);

    public int CouponsSince(DateTimeOffset since) => shopper.CouponsSince(since);

    public double CategoryAffinity(string category) => shopper.CategoryAffinity(category);

    public double BrandAffinity(string brandId) => shopper.BrandAffinity(brandId);
}
