using System.Buffers.Binary;
using System.Security.Cryptography;

namespace BeaconEngine.Proximity.Rotation;

/// <summary>
/// The identity a shopper's phone advertises in one period of a rotating store, derived from the shopper's
/// rotation secret, the store's proximity UUID and the period's index (docs/rotating-identities.md has the
/// derivation step by step, with test vectors for app developers):
/// <c>h = HMAC-SHA256(secret, "BE-ROT-1" ‖ uuid (16 bytes, RFC 4122 order) ‖ period (8 bytes, big-endian))</c>;
/// <c>v = uint32 big-endian of h[0..4]</c>; <c>major = 0x8000 + (v &gt;&gt; 16) mod 0x7FFF</c>;
/// <c>minor = 1 + (v &amp; 0xFFFF) mod 0xFFFF</c>; the Eddystone-EID is <c>h[0..8]</c>.
/// Majors from 0x8000 up are rotating identities only, so they never meet a static identity (issued from 1 up)
/// nor the calibration devices' major (0xFFFF).
/// </summary>
public static class RotatingIdentity
{
    public const int SecretBytes = 16;
    public const ushort FirstMajor = 0x8000;
    public const int DefaultPeriodSeconds = 600;

    /// <summary>The scheme's name, as enrolment gives it to apps.</summary>
    public const string Scheme = "hmac-sha256-v1";

    private static ReadOnlySpan<byte> Label => "BE-ROT-1"u8;

    /// <summary>The period an instant falls in: whole periods since the Unix epoch.</summary>
    public static long PeriodOf(DateTimeOffset at, int periodSeconds) =>
        Math.DivRem(at.ToUnixTimeMilliseconds(), periodSeconds * 1000L, out var rest) - (rest < 0 ? 1 : 0);

    public static DateTimeOffset StartOf(long period, int periodSeconds) => DateTimeOffset.FromUnixTimeMilliseconds(period * periodSeconds * 1000L);

    public static RotatedIdentity Derive(ReadOnlySpan<byte> secret, Guid storeUuid, long period)
    {
        Span<byte> message = stackalloc byte[8 + 16 + 8];
        Label.CopyTo(message);
        storeUuid.TryWriteBytes(message[8..], bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(message[24..], period);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(secret, message, hash);
        return FromEid(BinaryPrimitives.ReadUInt64BigEndian(hash));
    }

    /// <summary>The iBeacon major and minor an Eddystone-EID of this scheme stands for.</summary>
    public static RotatedIdentity FromEid(ulong eid)
    {
        var v = (uint)(eid >> 32);
        return new RotatedIdentity((ushort)(FirstMajor + ((v >> 16) % 0x7FFF)), (ushort)(1 + ((v & 0xFFFF) % 0xFFFF)), eid);
    }

    public static bool IsRotating(ushort major) => major is >= FirstMajor and < ushort.MaxValue;
}

/// <summary>One period's identity: the iBeacon major and minor, and the 8-byte Eddystone-EID they come from.</summary>
public readonly record struct RotatedIdentity(ushort Major, ushort Minor, ulong Eid)
{
    /// <summary>Major and minor in one number, the key of the resolver's tables.</summary>
    public uint Key => ((uint)Major << 16) | Minor;
}
