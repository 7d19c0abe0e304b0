using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Grains.Shoppers;

[GenerateSerializer]
public sealed class ShopperState : IShopperHistory
{
    [Id(0)] public ShopperProfile? Profile { get; set; }

    /// <summary>Hex SHA-256 of the shopper's token, so erasure can revoke it.</summary>
    [Id(1)] public string? TokenHash { get; set; }

    [Id(2)] public List<TrailEntry> Trail { get; set; } = [];

    /// <summary>Coupons received per offer, for per-shopper caps.</summary>
    [Id(3)] public Dictionary<string, int> CouponsPerOffer { get; set; } = new(StringComparer.Ordinal);

    [Id(4)] public List<Coupon> Wallet { get; set; } = [];

    public bool AcceptsOffers => Profile?.Consent.Offers == true;

    public int CouponsReceived(string offerId) => CouponsPerOffer.GetValueOrDefault(offerId);
}
