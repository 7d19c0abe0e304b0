namespace BeaconEngine.Contracts.Coupons;

[GenerateSerializer, Alias("BeaconEngine.RedemptionOutcome")]
public enum RedemptionOutcome
{
    Redeemed,
    AlreadyRedeemed,
    NotFound,
    Expired,
}
