using BeaconEngine.Contracts.Gateways;

namespace BeaconEngine.Grains.Gateways;

/// <summary>
/// This silo's view of the health of the gateways whose grains it hosts, for the metrics endpoint. Each gateway
/// grain publishes here after every change; a cluster's metrics are the union of its silos' boards.
/// </summary>
public interface IGatewayHealthBoard
{
    void Publish(string storeId, string gatewayId, GatewayHealth health);

    void Remove(string storeId, string gatewayId);

    IReadOnlyCollection<(string StoreId, string GatewayId, GatewayHealth Health)> Snapshot();
}
