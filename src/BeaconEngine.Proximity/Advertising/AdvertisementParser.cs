using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;

namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// Reads BLE advertisements from raw bytes: the AD structures of the Core Specification (Vol 3, Part C, 11) and the
/// beacon formats inside them (iBeacon, AltBeacon, Eddystone UID/URL/TLM/EID). Never throws on bad input: broken
/// data comes back as a reason, because gateways forward whatever the radio heard.
/// </summary>
public static class AdvertisementParser
{
    /// <summary>Largest payload accepted; longer input is not a single advertisement.</summary>
    public const int MaxPayloadLength = 255;

    /// <summary>
    /// Looks for an iBeacon frame in the AD structures. Returns <see cref="AdvertisementResult.Ok"/> with the first
    /// frame, <see cref="AdvertisementResult.NotIBeacon"/> for a well-formed advertisement of another kind, or
    /// <see cref="AdvertisementResult.Malformed"/> with a reason for a broken layout or a broken iBeacon frame.
    /// Other formats are not examined, so this stays allocation-free on the hot ingestion path.
    /// </summary>
    public static AdvertisementResult TryReadIBeacon(ReadOnlySpan<byte> payload, out IBeaconFrame frame, out string? error)
    {
        frame = default;
        if (!TryCheckLength(payload, out error))
        {
            return AdvertisementResult.Malformed;
        }

        var found = default(IBeaconFrame?);
        var reader = new AdStructureReader(payload);
        while (reader.MoveNext())
        {
            if (found is not null || reader.Type != AdType.ManufacturerSpecificData)
            {
                continue;
            }

            if (!IBeaconDecoder.TryDecode(reader.Data, out found, out error))
            {
                return AdvertisementResult.Malformed;
            }
        }

        if (reader.Error is not null)
        {
            error = reader.Error;
            return AdvertisementResult.Malformed;
        }

        error = null;
        if (found is null)
        {
            return AdvertisementResult.NotIBeacon;
        }

        frame = found.Value;
        return AdvertisementResult.Ok;
    }

    /// <summary>
    /// Reads every AD structure and returns all recognised beacon frames plus flags, local name and TX power level.
    /// Any broken structure or broken recognised frame rejects the whole advertisement with the first reason found,
    /// since a payload with one corrupt part cannot be trusted for the rest. Unknown AD types, other companies'
    /// manufacturer data, other services and undefined Eddystone frame types are skipped.
    /// </summary>
    public static ParsedAdvertisement Parse(ReadOnlySpan<byte> payload)
    {
        if (!TryCheckLength(payload, out var error))
        {
            return ParsedAdvertisement.Malformed(error);
        }

        BeaconFrame[]? frames = null;
        var count = 0;
        AdvertisingFlags? flags = null;
        string? name = null;
        var nameComplete = false;
        sbyte? txPower = null;
        var listsEddystone = false;

        var reader = new AdStructureReader(payload);
        while (reader.MoveNext())
        {
            var data = reader.Data;
            switch (reader.Type)
            {
                case AdType.Flags:
                    // The Flags type may be zero or more bytes (CSS Part A, 1.3); only the first byte is defined.
                    flags ??= data.IsEmpty ? AdvertisingFlags.None : (AdvertisingFlags)data[0];
                    break;

                case AdType.IncompleteServiceUuids16:
                case AdType.CompleteServiceUuids16:
                    if (data.Length % 2 != 0)
                    {
                        return ParsedAdvertisement.Malformed(
                            $"16-bit service UUID list at byte {reader.Offset} has {ByteCount.Of(data.Length)}; a whole number of 2-byte UUIDs is required");
                    }

                    listsEddystone |= ContainsUuid16(data, EddystoneDecoder.ServiceUuid);
                    break;

                case AdType.ShortenedLocalName:
                    name ??= Encoding.UTF8.GetString(data);
                    break;

                case AdType.CompleteLocalName:
                    if (!nameComplete)
                    {
                        name = Encoding.UTF8.GetString(data);
                        nameComplete = true;
                    }

                    break;

                case AdType.TxPowerLevel:
                    if (data.Length != 1)
                    {
                        return ParsedAdvertisement.Malformed(
                            $"TX power level at byte {reader.Offset} has {ByteCount.Of(data.Length)}; 1 is required");
                    }

                    txPower ??= unchecked((sbyte)data[0]);
                    break;

                case AdType.ServiceData16:
                    if (data.Length < 2)
                    {
                        return ParsedAdvertisement.Malformed(
                            $"service data at byte {reader.Offset} has {ByteCount.Of(data.Length)}; a 16-bit UUID needs 2");
                    }

                    if (!EddystoneDecoder.TryDecode(data, out var eddystone, out error))
                    {
                        return ParsedAdvertisement.Malformed(error);
                    }

                    if (eddystone is not null)
                    {
                        Add(ref frames, ref count, eddystone);
                    }

                    break;

                case AdType.ManufacturerSpecificData:
                    if (!TryReadManufacturerData(data, ref frames, ref count, out error))
                    {
                        return ParsedAdvertisement.Malformed(error);
                    }

                    break;
            }
        }

        if (reader.Error is not null)
        {
            return ParsedAdvertisement.Malformed(reader.Error);
        }

        if (frames is not null && frames.Length != count)
        {
            Array.Resize(ref frames, count);
        }

        var result = frames is null ? [] : ImmutableCollectionsMarshal.AsImmutableArray(frames);
        return new ParsedAdvertisement(result, flags, name, nameComplete, txPower, listsEddystone);
    }

    private static bool TryReadManufacturerData(
        ReadOnlySpan<byte> data, ref BeaconFrame[]? frames, ref int count, [NotNullWhen(false)] out string? error)
    {
        if (!IBeaconDecoder.TryDecode(data, out var iBeacon, out error))
        {
            return false;
        }

        if (iBeacon is not null)
        {
            Add(ref frames, ref count, new BeaconFrame.IBeacon(iBeacon.Value));
            return true;
        }

        if (!AltBeaconDecoder.TryDecode(data, out var altBeacon, out error))
        {
            return false;
        }

        if (altBeacon is not null)
        {
            Add(ref frames, ref count, altBeacon);
        }

        return true;
    }

    private static bool TryCheckLength(ReadOnlySpan<byte> payload, [NotNullWhen(false)] out string? error)
    {
        if (payload.IsEmpty)
        {
            error = "advertisement is empty";
            return false;
        }

        if (payload.Length > MaxPayloadLength)
        {
            error = $"advertisement is {payload.Length} bytes; at most {MaxPayloadLength} are allowed";
            return false;
        }

        error = null;
        return true;
    }

    private static bool ContainsUuid16(ReadOnlySpan<byte> list, ushort uuid)
    {
        for (var i = 0; i + 1 < list.Length; i += 2)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(list[i..]) == uuid)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Grows the frame array only when a second frame turns up, so the usual single frame costs one small array.</summary>
    private static void Add(ref BeaconFrame[]? frames, ref int count, BeaconFrame frame)
    {
        if (frames is null)
        {
            frames = new BeaconFrame[1];
        }
        else if (count == frames.Length)
        {
            Array.Resize(ref frames, count * 2);
        }

        frames[count++] = frame;
    }
}
