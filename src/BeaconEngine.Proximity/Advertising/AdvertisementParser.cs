using System.Buffers.Binary;

namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// Reads the AD structures of a BLE advertisement (Core Specification Vol 3, Part C, 11):
/// a sequence of <c>[length][type][data: length-1 bytes]</c>. Never throws on bad input.
/// </summary>
public static class AdvertisementParser
{
    private const byte ManufacturerSpecificData = 0xFF;
    private const ushort AppleCompanyId = 0x004C;
    private const byte IBeaconType = 0x02;
    private const byte IBeaconLength = 0x15;

    /// <summary>Largest legacy advertising payload plus scan response; longer input is not a single advertisement.</summary>
    public const int MaxPayloadLength = 255;

    /// <summary>
    /// Looks for an iBeacon frame in the AD structures. Returns <see cref="AdvertisementResult.Ok"/> with the frame,
    /// <see cref="AdvertisementResult.NotIBeacon"/> for a well-formed advertisement of another kind, or an error.
    /// </summary>
    public static AdvertisementResult TryReadIBeacon(ReadOnlySpan<byte> payload, out IBeaconFrame frame, out string? error)
    {
        frame = default;
        if (payload.IsEmpty)
        {
            error = "advertisement is empty";
            return AdvertisementResult.Malformed;
        }

        if (payload.Length > MaxPayloadLength)
        {
            error = $"advertisement is {payload.Length} bytes; at most {MaxPayloadLength} are allowed";
            return AdvertisementResult.Malformed;
        }

        var found = false;
        var offset = 0;
        while (offset < payload.Length)
        {
            var length = payload[offset];
            if (length == 0)
            {
                // Zero length marks the end of significant data; the rest is padding.
                break;
            }

            if (offset + 1 + length > payload.Length)
            {
                error = $"AD structure at byte {offset} declares {length} bytes but only {payload.Length - offset - 1} remain";
                return AdvertisementResult.Malformed;
            }

            var type = payload[offset + 1];
            var data = payload.Slice(offset + 2, length - 1);
            if (!found && type == ManufacturerSpecificData && data.Length >= 4
                && BinaryPrimitives.ReadUInt16LittleEndian(data) == AppleCompanyId
                && data[2] == IBeaconType)
            {
                if (data[3] != IBeaconLength || data.Length != 4 + IBeaconLength)
                {
                    error = $"iBeacon frame has {data.Length - 4} bytes of payload; 21 are required";
                    return AdvertisementResult.Malformed;
                }

                var body = data[4..];
                var uuid = new Guid(body[..16], bigEndian: true);
                var major = BinaryPrimitives.ReadUInt16BigEndian(body[16..]);
                var minor = BinaryPrimitives.ReadUInt16BigEndian(body[18..]);
                frame = new IBeaconFrame(new BeaconIdentity(uuid, major, minor), unchecked((sbyte)body[20]));
                found = true;
            }

            offset += 1 + length;
        }

        error = null;
        return found ? AdvertisementResult.Ok : AdvertisementResult.NotIBeacon;
    }
}

/// <summary>Outcome of reading an advertisement.</summary>
public enum AdvertisementResult
{
    Ok,
    NotIBeacon,
    Malformed,
}
