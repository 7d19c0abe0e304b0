using BeaconEngine.Contracts.Stores;

namespace BeaconEngine.Contracts.Calibration;

/// <summary>A new calibration walk and its device's advertisement, or why none was opened.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationOpening")]
public sealed record CalibrationOpening(string? CalibrationId, BeaconAdvertisement? Advertisement, CalibrationRefusal Refusal, string? Reason);

/// <summary>Why a calibration call was refused; <see cref="None"/> when it was not.</summary>
[GenerateSerializer, Alias("BeaconEngine.CalibrationRefusal")]
public enum CalibrationRefusal
{
    None,
    StoreNotFound,
    WalkNotFound,
    WalkEnded,
    Full,
    UnknownZone,
    NothingLabelled,
}

/// <summary>The outcome of a mark: accepted, or refused with a reason the installer can act on.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationChange")]
public sealed record CalibrationChange(CalibrationRefusal Refusal, string? Reason)
{
    public static CalibrationChange Done { get; } = new(CalibrationRefusal.None, null);
}

/// <summary>The outcome of a fit: the calibration now active, or why there is none.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationFitResult")]
public sealed record CalibrationFitResult(ActiveCalibration? Calibration, CalibrationRefusal Refusal, string? Reason);
