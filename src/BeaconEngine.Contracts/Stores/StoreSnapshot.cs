using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// Everything the engine needs to serve one store, at one <paramref name="Version"/>.
/// <paramref name="LayoutVersion"/> changes only with the layout (zones, adjacency, proximity settings).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.StoreSnapshot")]
public sealed record StoreSnapshot(
    string StoreId,
    StoreLayout Layout,
    GatewayDefinition[] Gateways,
    OfferDefinition[] Offers,
    Guid BeaconUuid,
    long Version,
    long LayoutVersion);
