using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Proximity.Rotation;

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

        if (state.State.Layout is { } before && before.RotationPeriod != layout.RotationPeriod
            && await GrainFactory.GetGrain<IRotationRosterGrain>(StoreId).Count() is > 0 and var rotating)
        {
            // Their apps derive each period's identity with the period they were given at enrolment.
            return new LayoutChange(null,
                $"Store '{StoreId}' has {rotating} shopper(s) with rotating identities of {before.RotationPeriod}-second periods, and their apps keep that period; keep 'rotationPeriodSeconds' at {before.RotationPeriod}.");
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

    public async Task<BeaconRegistration> RegisterBeacon(StoreBeaconDefinition beacon)
    {
        var layout = state.State.Layout;
        if (layout is null)
        {
            return new BeaconRegistration(BeaconRegistrationResult.StoreNotFound);
        }

        if (!layout.Zones.Any(z => z.Id == beacon.ZoneId))
        {
            return new BeaconRegistration(BeaconRegistrationResult.ZoneNotFound);
        }

        if (state.State.Beacons.ContainsKey(beacon.BeaconId))
        {
            return new BeaconRegistration(BeaconRegistrationResult.Conflict, $"Beacon '{beacon.BeaconId}' is already registered in store '{StoreId}'. Delete it first to change it.");
        }

        // One region per store: iOS wakes an app for at most 20 regions, so a store must fit in one.
        if (state.State.Beacons.Values.FirstOrDefault() is { } other && other.IBeacon.Uuid != beacon.IBeacon.Uuid)
        {
            return new BeaconRegistration(BeaconRegistrationResult.OtherRegion,
                $"The beacons of store '{StoreId}' share the proximity UUID {other.IBeacon.Uuid:D} (one iOS region covers the store); program this beacon with it.");
        }

        if (beacon.IBeacon.Uuid == state.State.BeaconUuid)
        {
            // Shoppers' phones and calibration devices are handed identities under it, now and later.
            return new BeaconRegistration(BeaconRegistrationResult.Conflict,
                $"UUID {beacon.IBeacon.Uuid:D} is the one store '{StoreId}' hands to shoppers' phones; give the store's beacons a UUID of their own.");
        }

        var holder = $"{StoreId}/{beacon.BeaconId}";
        if (await GrainFactory.GetGrain<IBeaconIdentityGrain>(beacon.IBeacon.Key).HoldForBeacon(holder) is { } holdsIt)
        {
            return new BeaconRegistration(BeaconRegistrationResult.Conflict, $"Identity {beacon.IBeacon.Key} is already used by {holdsIt}; every beacon and phone needs its own.");
        }

        state.State.Beacons[beacon.BeaconId] = beacon;
        await SaveAsync();
        return new BeaconRegistration(BeaconRegistrationResult.Registered);
    }

    public async Task<bool> RemoveBeacon(string beaconId)
    {
        if (!state.State.Beacons.Remove(beaconId, out var beacon))
        {
            return false;
        }

        await SaveAsync();
        await GrainFactory.GetGrain<IBeaconIdentityGrain>(beacon.IBeacon.Key).ReleaseBeacon($"{StoreId}/{beaconId}");
        return true;
    }

    public async Task<BeaconAdvertisement?> AllocateAdvertisement()
    {
        if (state.State.Layout is null)
        {
            return null;
        }

        var n = state.State.IdentitiesIssued;
        if (1 + (n / IdentitiesPerMajor) >= RotatingIdentity.FirstMajor)
        {
            // Majors from 0x8000 up belong to rotating identities and calibration devices; a store of two billion shoppers stops here.
            throw new InvalidOperationException($"Store '{StoreId}' has issued every shopper identity it has.");
        }

        state.State.IdentitiesIssued++;
        var major = (ushort)(1 + (n / IdentitiesPerMajor));
        var minor = (ushort)(1 + (n % IdentitiesPerMajor));
        await state.WriteStateAsync();
        return new BeaconAdvertisement(state.State.BeaconUuid, major, minor);
    }

    public async Task<CalibrationOpening> OpenCalibration()
    {
        if (state.State.Layout is null)
        {
            return new CalibrationOpening(null, null, CalibrationRefusal.StoreNotFound, $"There is no store '{StoreId}'.");
        }

        if (state.State.CalibrationDevices.Count >= CalibrationRules.MaxOpenWalks)
        {
            return new CalibrationOpening(null, null, CalibrationRefusal.Full,
                $"Store '{StoreId}' already has {CalibrationRules.MaxOpenWalks} calibration walks under way "
                + $"({string.Join(", ", state.State.CalibrationDevices.Keys.Order(StringComparer.Ordinal))}). End one with DELETE .../calibrations/{{calibrationId}} first.");
        }

        if (state.State.CalibrationsIssued >= CalibrationRules.MaxMinor)
        {
            return new CalibrationOpening(null, null, CalibrationRefusal.Full, $"Store '{StoreId}' has used every calibration device identity it has.");
        }

        if (state.State.BeaconUuid == Guid.Empty)
        {
            state.State.BeaconUuid = Guid.NewGuid();
        }

        var minor = (ushort)(++state.State.CalibrationsIssued);
        var calibrationId = Ids.New("cal");
        state.State.CalibrationDevices[calibrationId] = new CalibrationDevice(calibrationId, minor);
        await SaveAsync();
        return new CalibrationOpening(calibrationId, new BeaconAdvertisement(state.State.BeaconUuid, CalibrationRules.Major, minor), CalibrationRefusal.None, null);
    }

    public async Task CloseCalibration(string calibrationId)
    {
        if (state.State.CalibrationDevices.Remove(calibrationId))
        {
            await SaveAsync();
        }
    }

    public async Task<bool> ActivateCalibration(ActiveCalibration calibration)
    {
        if (state.State.Layout is null)
        {
            return false;
        }

        state.State.Calibration = calibration;

        // Every node's store view, and with it every shopper's resolver, is rebuilt on the new model.
        state.State.LayoutVersion++;
        await SaveAsync();
        return true;
    }

    public async Task<bool> RemoveCalibration()
    {
        if (state.State.Calibration is null)
        {
            return false;
        }

        state.State.Calibration = null;
        state.State.LayoutVersion++;
        await SaveAsync();
        return true;
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
                state.State.LayoutVersion,
                state.State.Calibration,
                [.. state.State.CalibrationDevices.Values.OrderBy(d => d.Minor)],
                [.. state.State.Beacons.Values.OrderBy(b => b.BeaconId, StringComparer.Ordinal)]);
        }

        return _snapshot;
    }
}
