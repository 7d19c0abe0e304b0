namespace BeaconEngine.Gateway.Sources;

/// <summary>
/// One report of an HCI LE Advertising Report (legacy) or LE Extended Advertising Report event: who advertised,
/// how loud, and the AD structures. <paramref name="Address"/> is written most significant byte first
/// (<c>AA:BB:CC:DD:EE:FF</c>), as people read it; on the wire it is little-endian.
/// </summary>
public sealed record HciAdvertisingReport(int EventType, int AddressType, string Address, sbyte Rssi, byte[] Data);
