namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// The Flags AD type (Core Specification Supplement, Part A, 1.3). Kept because discoverability tells a beacon
/// (usually non-connectable, "BR/EDR not supported") from a phone or accessory that happens to share a frame format.
/// Bits this enum does not name are preserved in the value.
/// </summary>
[Flags]
public enum AdvertisingFlags
{
    None = 0,
    LeLimitedDiscoverable = 0x01,
    LeGeneralDiscoverable = 0x02,
    BrEdrNotSupported = 0x04,
    SimultaneousLeBrEdrController = 0x08,
    SimultaneousLeBrEdrHost = 0x10,
}
