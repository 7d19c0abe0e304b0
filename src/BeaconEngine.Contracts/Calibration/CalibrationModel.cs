namespace BeaconEngine.Contracts.Calibration;

/// <summary>What a calibration walk taught the zone model about one zone: each gateway's mean level there (dBm).</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ZoneFingerprintData")]
public sealed record ZoneFingerprintData(string ZoneId, Dictionary<string, double> MeanRssiByGateway, int Samples);

/// <summary>A store's calibration as stored and sent between nodes: a correction (dB) per gateway and the fingerprints of the zones the walk covered.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.CalibrationModel")]
public sealed record CalibrationModel(Dictionary<string, double> GatewayCorrections, ZoneFingerprintData[] Zones);
