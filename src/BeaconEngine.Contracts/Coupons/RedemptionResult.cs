namespace BeaconEngine.Contracts.Coupons;

[Immutable, GenerateSerializer, Alias("BeaconEngine.RedemptionResult")]
public sealed record RedemptionResult(RedemptionOutcome Outcome, CouponTicket? Ticket);
