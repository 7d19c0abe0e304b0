using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// Decodes Apple iBeacon manufacturer data: company 0x004C (little-endian), type 0x02, length 0x15, then a
/// big-endian proximity UUID, major, minor and the measured power at 1 m. Allocation-free.
/// </summary>
internal static class IBeaconDecoder
{
    private const ushort AppleCompanyId = 0x004C;
    private const byte IBeaconType = 0x02;
    private const byte IBeaconLength = 0x15;
    private const int HeaderLength = 4;

    /// <summary>
    /// Decodes <paramref name="manufacturerData"/> (the data of a 0xFF AD structure). Returns false with a reason
    /// when it is an iBeacon frame but broken; otherwise true, with <paramref name="frame"/> null for other data.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> manufacturerData, out IBeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        error = null;
        if (manufacturerData.Length < HeaderLength
            || BinaryPrimitives.ReadUInt16LittleEndian(manufacturerData) != AppleCompanyId
            || manufacturerData[2] != IBeaconType)
        {
            return true;
        }

        if (manufacturerData[3] != IBeaconLength || manufacturerData.Length != HeaderLength + IBeaconLength)
        {
            error = $"iBeacon frame declares {manufacturerData[3]} and has {ByteCount.Of(manufacturerData.Length - HeaderLength)} of payload; {IBeaconLength} are required";
            return false;
        }

        var body = manufacturerData[HeaderLength..];
        var uuid = new Guid(body[..16], bigEndian: true);
        var major = BinaryPrimitives.ReadUInt16BigEndian(body[16..]);
        var minor = BinaryPrimitives.ReadUInt16BigEndian(body[18..]);
        frame = new IBeaconFrame(new BeaconIdentity(uuid, major, minor), unchecked((sbyte)body[20]));
        return true;
    }
}
