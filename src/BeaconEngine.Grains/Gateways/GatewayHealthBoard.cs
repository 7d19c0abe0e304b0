using System.Collections.Concurrent;
using BeaconEngine.Contracts.Gateways;

namespace BeaconEngine.Grains.Gateways;

public sealed class GatewayHealthBoard : IGatewayHealthBoard
{
    private readonly ConcurrentDictionary<(string StoreId, string GatewayId), GatewayHealth> _health = new();

    public void Publish(string storeId, string gatewayId, GatewayHealth health) => _health[(storeId, gatewayId)] = health;

    public void Remove(string storeId, string gatewayId) => _health.TryRemove((storeId, gatewayId), out _);

    public IReadOnlyCollection<(string StoreId, string GatewayId, GatewayHealth Health)> Snapshot() =>
        [.. _health.Select(p => (p.Key.StoreId, p.Key.GatewayId, p.Value)).OrderBy(p => p.StoreId, StringComparer.Ordinal).ThenBy(p => p.GatewayId, StringComparer.Ordinal)];
}
