using BeaconEngine.Contracts.Analytics;

namespace BeaconEngine.Contracts.Shoppers;

/// <summary>
/// A basket recorded for a shopper: its id (the till's, or one the engine made), its time and total, the offers
/// it counted for, and when it was recorded. <paramref name="Repeated"/>: the till had reported this purchase id
/// before, so this is the first report's answer and nothing was counted again.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.RecordedPurchase")]
public sealed record RecordedPurchase(
    [property: Id(0)] string PurchaseId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] decimal Total,
    [property: Id(3)] OfferAttribution[] CountedFor,
    [property: Id(4)] DateTimeOffset RecordedAt,
    [property: Id(5)] bool Repeated = false);
