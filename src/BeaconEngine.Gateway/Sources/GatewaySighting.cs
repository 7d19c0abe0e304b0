using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Gateway.Sources;

/// <summary>One advertisement heard: when (event time), how loud, and the iBeacon it carried or its raw AD structures.</summary>
public readonly record struct GatewaySighting(DateTimeOffset At, double Rssi, BeaconIdentity? IBeacon, byte[]? RawData);
