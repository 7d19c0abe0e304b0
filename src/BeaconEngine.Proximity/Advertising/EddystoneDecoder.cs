using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// Decodes Eddystone frames (google/eddystone): service data for the 16-bit UUID 0xFEAA whose first byte is the
/// frame type. Lengths are checked against each published layout; frame types this parser does not know (e.g. 0x40)
/// are skipped rather than treated as broken, so a newer format does not reject advertisements that also carry
/// known frames.
/// </summary>
internal static class EddystoneDecoder
{
    /// <summary>The Eddystone service UUID, 0xFEAA.</summary>
    public const ushort ServiceUuid = 0xFEAA;

    private const byte UidFrame = 0x00;
    private const byte UrlFrame = 0x10;
    private const byte TlmFrame = 0x20;
    private const byte EidFrame = 0x30;

    private const int UidLength = 18;
    private const int UidLengthWithReserved = 20;
    private const int UrlMinLength = 3;
    private const int UrlMaxLength = 20;

    /// <summary>Longest decoded URL: the longest scheme plus 17 bytes that each expand to at most 6 characters.</summary>
    private const int MaxUrlChars = 12 + (17 * 6);

    private const int PlainTlmLength = 14;
    private const int EncryptedTlmLength = 18;
    private const int EidLength = 10;

    private const byte PlainTlmVersion = 0x00;
    private const byte EncryptedTlmVersion = 0x01;
    private const short TemperatureNotSupported = unchecked((short)0x8000);
    private const long TicksPerTenthOfSecond = TimeSpan.TicksPerSecond / 10;

    /// <summary>Scheme prefixes, indexed by the URL scheme byte.</summary>
    private static readonly string[] Schemes = ["http://www.", "https://www.", "http://", "https://"];

    /// <summary>Expansion texts, indexed by the encoded byte 0x00-0x0D.</summary>
    private static readonly string[] Expansions =
        [".com/", ".org/", ".edu/", ".net/", ".info/", ".biz/", ".gov/", ".com", ".org", ".edu", ".net", ".info", ".biz", ".gov"];

    /// <summary>
    /// Decodes <paramref name="serviceData"/> (the data of a 0x16 AD structure: a little-endian 16-bit UUID, then
    /// the service's bytes). Returns false with a reason when it is a known Eddystone frame but broken; otherwise
    /// true, with <paramref name="frame"/> null for other services and unknown frame types.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> serviceData, out BeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        error = null;
        if (serviceData.Length < 2 || BinaryPrimitives.ReadUInt16LittleEndian(serviceData) != ServiceUuid)
        {
            return true;
        }

        var body = serviceData[2..];
        if (body.IsEmpty)
        {
            error = "Eddystone service data has no frame type byte";
            return false;
        }

        return body[0] switch
        {
            UidFrame => TryDecodeUid(body, out frame, out error),
            UrlFrame => TryDecodeUrl(body, out frame, out error),
            TlmFrame => TryDecodeTlm(body, out frame, out error),
            EidFrame => TryDecodeEid(body, out frame, out error),
            _ => true,
        };
    }

    private static bool TryDecodeUid(ReadOnlySpan<byte> body, out BeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;

        // 18 bytes is the original layout; the spec later added two reserved bytes and still allows their absence.
        // Their value is not checked: "must be 0x00" binds the sender, and rejecting on it would lose real beacons.
        if (body.Length is not (UidLength or UidLengthWithReserved))
        {
            error = $"Eddystone UID frame has {ByteCount.Of(body.Length)}; {UidLength} or {UidLengthWithReserved} are required";
            return false;
        }

        var namespaceId = new UInt128(BinaryPrimitives.ReadUInt16BigEndian(body[2..]), BinaryPrimitives.ReadUInt64BigEndian(body[4..]));
        var instance = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(body[12..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(body[14..]);
        frame = new BeaconFrame.EddystoneUid(unchecked((sbyte)body[1]), namespaceId, instance);
        error = null;
        return true;
    }

    private static bool TryDecodeUrl(ReadOnlySpan<byte> body, out BeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        if (body.Length is < UrlMinLength or > UrlMaxLength)
        {
            error = $"Eddystone URL frame has {ByteCount.Of(body.Length)}; {UrlMinLength} to {UrlMaxLength} are required";
            return false;
        }

        var scheme = body[2];
        if (scheme >= Schemes.Length)
        {
            error = $"Eddystone URL scheme 0x{scheme:X2} is not defined; 0x00 to 0x03 are";
            return false;
        }

        Span<char> url = stackalloc char[MaxUrlChars];
        var length = Append(url, 0, Schemes[scheme]);
        var encoded = body[3..];
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b < Expansions.Length)
            {
                length = Append(url, length, Expansions[b]);
            }
            else if (b is > 0x20 and < 0x7F)
            {
                url[length++] = (char)b;
            }
            else
            {
                // 0x0E-0x20 and 0x7F-0xFF are reserved: not printable US-ASCII and not an expansion code.
                error = $"Eddystone URL byte 0x{b:X2} at position {i} of the encoded URL is reserved";
                return false;
            }
        }

        frame = new BeaconFrame.EddystoneUrl(unchecked((sbyte)body[1]), new string(url[..length]));
        error = null;
        return true;
    }

    private static bool TryDecodeTlm(ReadOnlySpan<byte> body, out BeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        if (body.Length < 2)
        {
            error = "Eddystone TLM frame has 1 byte; a version byte is required";
            return false;
        }

        switch (body[1])
        {
            case PlainTlmVersion:
                if (body.Length != PlainTlmLength)
                {
                    error = $"Eddystone TLM frame has {ByteCount.Of(body.Length)}; {PlainTlmLength} are required";
                    return false;
                }

                var millivolts = BinaryPrimitives.ReadUInt16BigEndian(body[2..]);
                var temperature = BinaryPrimitives.ReadInt16BigEndian(body[4..]);
                var count = BinaryPrimitives.ReadUInt32BigEndian(body[6..]);
                var tenths = BinaryPrimitives.ReadUInt32BigEndian(body[10..]);
                frame = new BeaconFrame.EddystoneTlm(
                    millivolts == 0 ? null : millivolts,
                    temperature == TemperatureNotSupported ? null : temperature / 256.0,
                    count,
                    TimeSpan.FromTicks(tenths * TicksPerTenthOfSecond));
                error = null;
                return true;

            case EncryptedTlmVersion:
                if (body.Length != EncryptedTlmLength)
                {
                    error = $"Eddystone encrypted TLM frame has {ByteCount.Of(body.Length)}; {EncryptedTlmLength} are required";
                    return false;
                }

                frame = new BeaconFrame.EddystoneEncryptedTlm(
                    body.Slice(2, 12),
                    BinaryPrimitives.ReadUInt16BigEndian(body[14..]),
                    BinaryPrimitives.ReadUInt16BigEndian(body[16..]));
                error = null;
                return true;

            default:
                error = $"Eddystone TLM version 0x{body[1]:X2} is not defined; 0x00 (plain) and 0x01 (encrypted) are";
                return false;
        }
    }

    private static bool TryDecodeEid(ReadOnlySpan<byte> body, out BeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        if (body.Length != EidLength)
        {
            error = $"Eddystone EID frame has {ByteCount.Of(body.Length)}; {EidLength} are required";
            return false;
        }

        frame = new BeaconFrame.EddystoneEid(unchecked((sbyte)body[1]), BinaryPrimitives.ReadUInt64BigEndian(body[2..]));
        error = null;
        return true;
    }

    private static int Append(Span<char> destination, int at, string text)
    {
        text.AsSpan().CopyTo(destination[at..]);
        return at + text.Length;
    }
}
