using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Contracts.Gateways;

/// <summary>
/// A gateway's batch as the server read it, once: every item parsed and checked, identities resolved, the
/// valid sightings grouped per shopper and per calibration walk in event-time order. The gateway's grain
/// takes it in one call (see <see cref="IGatewayGrain.Ingest"/>).
/// </summary>
/// <param name="BatchId">The batch id, if the gateway sent one (a retry of it gets the first answer).</param>
/// <param name="Items">Items in the batch, good or bad.</param>
/// <param name="Rejected">Items rejected as read, by index.</param>
/// <param name="Dropped">Valid items of identities no shopper holds (or of no walk under way).</param>
/// <param name="DroppedOldestAt">Earliest event time of a dropped item, if any (the receipt spans every valid item).</param>
/// <param name="DroppedNewestAt">Latest event time of a dropped item, if any.</param>
/// <param name="Replays">Of the dropped items, rotating identities heard after their period and its tolerance (recorded and played again).</param>
/// <param name="SharedIdentities">Of the dropped items, rotating identities two shoppers held at once, which resolve to neither.</param>
[Immutable, GenerateSerializer, Alias("BeaconEngine.GatewayBatch")]
public sealed record GatewayBatch(
    string? BatchId,
    int Items,
    ShopperSightings[] Shoppers,
    WalkSightings[] Walks,
    BatchRejection[] Rejected,
    int Dropped,
    DateTimeOffset? DroppedOldestAt,
    DateTimeOffset? DroppedNewestAt,
    int Replays = 0,
    int SharedIdentities = 0);

/// <summary>One shopper's sightings of a batch, in event-time order, with the batch index of each.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ShopperSightings")]
public sealed record ShopperSightings(string ShopperId, Sighting[] Sightings, int[] Indexes);

/// <summary>One calibration walk's sightings of a batch (key: <see cref="CalibrationRules.Key"/>), with the batch index of each.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.WalkSightings")]
public sealed record WalkSightings(string CalibrationKey, CalibrationSighting[] Sightings, int[] Indexes);
