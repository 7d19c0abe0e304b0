using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Offers;
using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Stores;

/// <summary>One store: layout, gateways, the offers that target it, and the beacon identities it hands out. Key: store id.</summary>
[Alias("BeaconEngine.IStoreGrain")]
public interface IStoreGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the layout; refused while a gateway or offer still uses a zone it would remove.</summary>
    [Alias("PutLayout")]
    Task<LayoutChange> PutLayout(StoreLayout layout);

    /// <summary>Null when the store was never created.</summary>
    [ReadOnly, Alias("GetSnapshot")]
    Task<StoreSnapshot?> GetSnapshot();

    [Alias("RegisterGateway")]
    Task<GatewayRegistrationResult> RegisterGateway(GatewayDefinition gateway);

    [Alias("UpsertOffer")]
    Task UpsertOffer(OfferDefinition offer);

    [Alias("RemoveOffer")]
    Task RemoveOffer(string offerId);

    /// <summary>Registers a fixed beacon, holding its identity so no shopper or other beacon can use it.</summary>
    [Alias("RegisterBeacon")]
    Task<BeaconRegistration> RegisterBeacon(StoreBeaconDefinition beacon);

    /// <summary>Removes a beacon and frees its identity; false when the store has no such beacon.</summary>
    [Alias("RemoveBeacon")]
    Task<bool> RemoveBeacon(string beaconId);

    /// <summary>A beacon identity no other shopper of this store holds; null if the store does not exist.</summary>
    [Alias("AllocateAdvertisement")]
    Task<BeaconAdvertisement?> AllocateAdvertisement();

    /// <summary>Issues a calibration walk's id and its device's advertisement; refused when the store is missing or has too many walks open.</summary>
    [Alias("OpenCalibration")]
    Task<CalibrationOpening> OpenCalibration();

    /// <summary>The walk's device is no longer heard for it (the walk ended).</summary>
    [Alias("CloseCalibration")]
    Task CloseCalibration(string calibrationId);

    /// <summary>Makes <paramref name="calibration"/> the one the store's shoppers are placed with, on every node.</summary>
    [Alias("ActivateCalibration")]
    Task<bool> ActivateCalibration(ActiveCalibration calibration);

    /// <summary>Back to the uncalibrated model; false when there was no calibration.</summary>
    [Alias("RemoveCalibration")]
    Task<bool> RemoveCalibration();
}
