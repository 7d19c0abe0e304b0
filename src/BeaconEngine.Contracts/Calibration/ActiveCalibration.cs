namespace BeaconEngine.Contracts.Calibration;

/// <summary>The calibration a store's shoppers are placed with: which walk it came from, when it was fitted, the model and its report.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ActiveCalibration")]
public sealed record ActiveCalibration(string CalibrationId, DateTimeOffset FittedAt, CalibrationModel Model, CalibrationReportData Report);
