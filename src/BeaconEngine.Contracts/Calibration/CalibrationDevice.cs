namespace BeaconEngine.Contracts.Calibration;

/// <summary>
/// The advertisement of a calibration walk under way: the store's UUID, <see cref="CalibrationRules.Major"/>
/// and <paramref name="Minor"/>. Its sightings go to the walk, never to a shopper.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationDevice")]
public sealed record CalibrationDevice(string CalibrationId, ushort Minor);

/// <summary>
/// The bounds of calibration walks, and the iBeacon identities reserved for their devices. Shoppers' identities are issued from major 1
/// upwards and stop below <see cref="Major"/>, so the two never meet.
/// </summary>
public static class CalibrationRules
{
    /// <summary>The major every calibration device of a store advertises.</summary>
    public const ushort Major = ushort.MaxValue;

    /// <summary>The highest minor a calibration device is given (0 is avoided, like the shoppers' identities).</summary>
    public const ushort MaxMinor = ushort.MaxValue - 1;

    /// <summary>How many calibration walks a store may have under way at once.</summary>
    public const int MaxOpenWalks = 8;

    /// <summary>At most this many sightings are kept per walk; later ones are dropped.</summary>
    public const int MaxSightings = 200_000;

    /// <summary>At most this many marks per walk.</summary>
    public const int MaxMarks = 10_000;

    /// <summary>The key of a walk's <see cref="ICalibrationGrain"/>.</summary>
    public static string Key(string storeId, string calibrationId) => $"{storeId}/{calibrationId}";
}
