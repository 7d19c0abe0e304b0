using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Grains.Stores;

internal sealed class StoreGrain(
    [PersistentState("store", StorageNames.State)] IPersistentState<StoreState> state,
    IStoreDirectory directory) : Grain, IStoreGrain
{
    // iBeacon major and minor are 16-bit; 0 is avoided because some scanners treat it as "any".
    private const int IdentitiesPerMajor = ushort.MaxValue;

    private StoreSnapshot? _snapshot;

    private string StoreId => this.GetPrimaryKeyString();

    public async Task<LayoutChange> PutLayout(StoreLayout layout)
    {
        var zones = layout.Zones.Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        var gateway = state.State.Gateways.Values.FirstOrDefault(g => !zones.Contains(g.ZoneId));
        if (gateway is not null)
        {
            return new LayoutChange(null, $"Zone '{gateway.ZoneId}' is still used by gateway '{gateway.GatewayId}'. Keep the zone, or move the gateway first.");
        }

        var offer = state.State.Offers.Values.FirstOrDefault(o => o.ZoneIds.Any(z => !zones.Contains(z)));
        if (offer is not null)
        {
            return new LayoutChange(null, $"Zone '{offer.ZoneIds.First(z => !zones.Contains(z))}' is still targeted by offer '{offer.OfferId}'. Keep the zone, or change or retire the offer first.");
        }

        if (state.State.BeaconUuid == Guid.Empty)
        {
            state.State.BeaconUuid = Guid.NewGuid();
        }

        state.State.Layout = layout;
        state.State.LayoutVersion++;
        return new LayoutChange(await SaveAsync(), null);
    }

    public Task<StoreSnapshot?> GetSnapshot() => Task.FromResult(Snapshot());

    public async Task<GatewayRegistrationResult> RegisterGateway(GatewayDefinition gateway)
    {
        var layout = state.State.Layout;
        if (layout is null)
        {
            return GatewayRegistrationResult.StoreNotFound;
        }

        if (!layout.Zones.Any(z => z.Id == gateway.ZoneId))
        {
            return GatewayRegistrationResult.ZoneNotFound;
        }

        if (state.State.Gateways.ContainsKey(gateway.GatewayId))
        {
            return GatewayRegistrationResult.AlreadyRegistered;
        }

        state.State.Gateways[gateway.GatewayId] = gateway;
        await SaveAsync();
        return GatewayRegistrationResult.Registered;
    }

    public async Task UpsertOffer(OfferDefinition offer)
    {
        state.State.Offers[offer.OfferId] = offer;
        await SaveAsync();
    }

    public async Task RemoveOffer(string offerId)
    {
        if (state.State.Offers.Remove(offerId))
        {
            await SaveAsync();
        }
    }

    public async Task<BeaconAdvertisement?> AllocateAdvertisement()
    {
        if (state.State.Layout is null)
        {
            return null;
        }

        var n = state.State.IdentitiesIssued++;
        var major = (ushort)(1 + (n / IdentitiesPerMajor));
        var minor = (ushort)(1 + (n % IdentitiesPerMajor));
        await state.WriteStateAsync();
        return new BeaconAdvertisement(state.State.BeaconUuid, major, minor);
    }

    private async Task<StoreSnapshot> SaveAsync()
    {
        state.State.Version++;
        await state.WriteStateAsync();
        _snapshot = null;
        var snapshot = Snapshot()!;
        directory.Publish(snapshot);
        return snapshot;
    }

    private StoreSnapshot? Snapshot()
    {
        if (_snapshot is null && state.State.Layout is { } layout)
        {
            _snapshot = new StoreSnapshot(
                StoreId,
                layout,
                [.. state.State.Gateways.Values.OrderBy(g => g.GatewayId, StringComparer.Ordinal)],
                [.. state.State.Offers.Values.OrderBy(o => o.OfferId, StringComparer.Ordinal)],
                state.State.BeaconUuid,
                state.State.Version,
                state.State.LayoutVersion);
        }

        return _snapshot;
    }
}
