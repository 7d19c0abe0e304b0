using System.Buffers.Binary;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>A SHA-256 digest written as 64 lowercase hex characters, held as its 32 bytes (inline, no allocation).</summary>
internal readonly record struct TokenDigest(ulong A, ulong B, ulong C, ulong D, bool IsHex)
{
    private const int HexLength = 64;

    /// <summary>Reads <paramref name="text"/> if it is exactly 64 lowercase hex characters (so <see cref="ToHex"/> gives it back).</summary>
    public static bool TryParse(string? text, out TokenDigest digest)
    {
        digest = default;
        if (text is not { Length: HexLength } || !IsLowerHex(text))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[HexLength / 2];
        Convert.FromHexString(text, bytes, out _, out _);
        digest = new(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            IsHex: true);
        return true;
    }

    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[HexLength / 2];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], D);
        return Convert.ToHexStringLower(bytes);
    }

    private static bool IsLowerHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
