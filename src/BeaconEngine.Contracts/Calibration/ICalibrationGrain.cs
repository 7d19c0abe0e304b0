using BeaconEngine.Contracts.Stores;
using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Calibration;

/// <summary>
/// One calibration walk: the installer's marks and the sightings of the walk's device, until it is fitted
/// into the store's calibration. Key: <c>storeId/calibrationId</c> (see <see cref="CalibrationRules.Key"/>).
/// </summary>
[Alias("BeaconEngine.ICalibrationGrain")]
public interface ICalibrationGrain : IGrainWithStringKey
{
    /// <summary>Begins the walk (the store grain has issued its advertisement); calling it again changes nothing.</summary>
    [Alias("Start")]
    Task Start(BeaconAdvertisement advertisement, DateTimeOffset createdAt);

    [Alias("Mark")]
    Task<CalibrationChange> Mark(CalibrationMark mark);

    /// <summary>Keeps the sightings while the walk is open; returns how many were kept.</summary>
    [Alias("RecordSightings")]
    ValueTask<int> RecordSightings(CalibrationSighting[] sightings);

    /// <summary>Fits the store's calibration from the labelled sightings and makes it the store's active one.</summary>
    [Alias("Fit")]
    Task<CalibrationFitResult> Fit();

    /// <summary>Ends the walk: its device's sightings are no longer taken.</summary>
    [Alias("End")]
    Task<CalibrationChange> End();

    /// <summary>Null when the walk was never started.</summary>
    [ReadOnly, Alias("GetStatus")]
    Task<CalibrationStatus?> GetStatus();
}
