using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Coupons;

[GenerateSerializer]
public sealed class CouponCodeState
{
    /// <summary>The state's name in storage.</summary>
    public const string Name = "code";

    [Id(0)] public CouponTicket? Ticket { get; set; }

    [Id(1)] public DateTimeOffset? RedeemedAt { get; set; }
}
