namespace BeaconEngine.Server.Api;

/// <summary>
/// "I am here now": the calibration device is in <c>zoneId</c> from <c>at</c> until the next mark; a null
/// <c>zoneId</c> ends a labelled stretch. <c>at</c> is ISO-8601 or Unix ms, and the server's clock when left out.
/// </summary>
public sealed record CalibrationMarkRequest(string? ZoneId, DateTimeOffset? At);

/// <summary>A new calibration walk: the identity the installer's phone or tag transmits during it.</summary>
public sealed record CalibrationStartedResponse(string CalibrationId, AdvertisementResponse Advertisement, DateTimeOffset CreatedAt);

public sealed record CalibrationMarkResponse(string CalibrationId, string? ZoneId, DateTimeOffset At, int Marks);

public sealed record CalibrationMarkDto(string? ZoneId, DateTimeOffset At);

/// <summary>
/// What a fit learned: labelled sightings per zone, the zones the walk did not cover (they keep the
/// uncalibrated model), the correction per gateway in dB, and the share of the walk's moments placed in
/// their marked zone before and after, cross-validated over the walk itself (0 to 1); the seconds of the walk
/// labelled in each zone (null for a fit made before they were kept) and the zones walked for less than a minute,
/// which the installer should walk again for longer.
/// </summary>
public sealed record CalibrationReportResponse(
    string CalibrationId,
    DateTimeOffset FittedAt,
    IReadOnlyDictionary<string, int> SamplesPerZone,
    IReadOnlyList<string> ZonesNotCovered,
    IReadOnlyDictionary<string, double> GatewayCorrections,
    double AccuracyBefore,
    double AccuracyAfter,
    int Moments,
    IReadOnlyDictionary<string, int>? SecondsPerZone,
    IReadOnlyList<string> ZonesWalkedBriefly);

/// <summary><c>status</c>: <c>open</c> (taking marks and sightings) or <c>ended</c>; <c>active</c> when its fit is the store's calibration.</summary>
public sealed record CalibrationWalkResponse(
    string StoreId,
    string CalibrationId,
    string Status,
    bool Active,
    AdvertisementResponse Advertisement,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CalibrationMarkDto> Marks,
    int Sightings,
    IReadOnlyDictionary<string, int> LabelledPerZone,
    CalibrationReportResponse? LastFit);

/// <summary>The calibration the store's shoppers are placed with, and what its fit learned.</summary>
public sealed record ActiveCalibrationResponse(string StoreId, string CalibrationId, DateTimeOffset FittedAt, IReadOnlyList<string> ZonesCalibrated, CalibrationReportResponse Report);
