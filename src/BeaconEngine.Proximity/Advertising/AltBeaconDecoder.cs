using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// Decodes AltBeacon manufacturer data (AltBeacon/spec v1.0): company id (little-endian), beacon code 0xBE 0xAC,
/// 20-byte beacon id, reference RSSI, manufacturer-reserved byte; 26 bytes in all (AD length 0x1B).
/// </summary>
internal static class AltBeaconDecoder
{
    private const byte BeaconCodeHigh = 0xBE;
    private const byte BeaconCodeLow = 0xAC;
    private const int HeaderLength = 4;
    private const int BodyLength = 22;

    /// <summary>
    /// Decodes <paramref name="manufacturerData"/> (the data of a 0xFF AD structure). Returns false with a reason
    /// when it is an AltBeacon frame but broken; otherwise true, with <paramref name="frame"/> null for other data.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> manufacturerData, out BeaconFrame.AltBeacon? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        error = null;
        if (manufacturerData.Length < HeaderLength
            || manufacturerData[2] != BeaconCodeHigh
            || manufacturerData[3] != BeaconCodeLow)
        {
            return true;
        }

        // The spec fixes the length; a shorter frame has lost its trailing fields, a longer one is something else.
        if (manufacturerData.Length != HeaderLength + BodyLength)
        {
            error = $"AltBeacon frame has {ByteCount.Of(manufacturerData.Length - HeaderLength)} after the beacon code; {BodyLength} are required";
            return false;
        }

        var companyId = BinaryPrimitives.ReadUInt16LittleEndian(manufacturerData);
        var body = manufacturerData[HeaderLength..];
        var identity = new BeaconIdentity(
            new Guid(body[..16], bigEndian: true),
            BinaryPrimitives.ReadUInt16BigEndian(body[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(body[18..]));
        frame = new BeaconFrame.AltBeacon(companyId, identity, unchecked((sbyte)body[20]), body[21]);
        return true;
    }
}
