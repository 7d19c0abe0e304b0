namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// The AD types this library understands (Bluetooth Assigned Numbers, "Common Data Types"; layouts in the
/// Core Specification Supplement, Part A). Every other type is skipped, which is what the Core Specification
/// asks of a scanner that meets a type it does not know.
/// </summary>
internal static class AdType
{
    public const byte Flags = 0x01;
    public const byte IncompleteServiceUuids16 = 0x02;
    public const byte CompleteServiceUuids16 = 0x03;
    public const byte ShortenedLocalName = 0x08;
    public const byte CompleteLocalName = 0x09;
    public const byte TxPowerLevel = 0x0A;
    public const byte ServiceData16 = 0x16;
    public const byte ManufacturerSpecificData = 0xFF;
}
