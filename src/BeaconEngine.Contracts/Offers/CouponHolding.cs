namespace BeaconEngine.Contracts.Offers;

/// <summary>What a shopper's wallet says of a reserved coupon.</summary>
[GenerateSerializer, Alias("BeaconEngine.CouponHolding")]
public enum CouponHolding
{
    /// <summary>Not in the wallet and not being written: the reservation can be given back.</summary>
    NotHeld,

    /// <summary>Stored in the wallet.</summary>
    Held,

    /// <summary>Being written right now: ask again later.</summary>
    Writing,
}
