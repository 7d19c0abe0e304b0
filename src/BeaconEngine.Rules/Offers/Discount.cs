namespace BeaconEngine.Rules.Offers;

/// <summary>What a coupon takes off: a percentage of the price, or a fixed amount in the store's currency.</summary>
public readonly record struct Discount(DiscountKind Kind, decimal Value);

public enum DiscountKind
{
    Percent,
    Amount,
}
