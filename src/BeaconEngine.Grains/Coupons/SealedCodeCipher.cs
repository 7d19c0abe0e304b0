using System.Buffers.Binary;
using System.Security.Cryptography;

namespace BeaconEngine.Grains.Coupons;

/// <summary>
/// Coupon codes that carry their shopper, so issuing one stores nothing: the till's code opens to the shopper whose
/// wallet holds the coupon, and that wallet is the single writer of its redemption. A code is one AES block (the
/// cluster's key, <see cref="ICouponCodeKeyGrain"/>) over the shopper id's 100 bits, 16 random bits (two coupons of
/// one shopper differ; the wallet draws again on a clash) and 12 zero bits, written as 26 characters of Crockford's
/// base32. Without the key nobody reads the shopper from a code or links two codes of one shopper; a code typed at
/// random opens only one time in 4,096, and then names a shopper nobody is (100 random bits) or whose wallet holds no
/// such code. The till may type it in lower case, with dashes or spaces, and O for 0 or I and L for 1.
/// </summary>
public sealed class SealedCodeCipher
{
    public const int KeyBytes = 32;

    /// <summary>Characters of a sealed code (128 bits; the first character carries 3).</summary>
    public const int Length = 26;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string IdPrefix = "shp_";
    private const int IdChars = 20;
    private const int RandomBits = 16;
    private const int CheckBits = 12;

    private readonly Aes _aes;

    public SealedCodeCipher(byte[] key)
    {
        _aes = Aes.Create();
        _aes.Key = key;
    }

    /// <summary>Whether <paramref name="shopperId"/> has the engine's form (<c>shp_</c> and 20 base32 characters), which a code can carry.</summary>
    public static bool CanSeal(string shopperId) => TryPack(shopperId, out _);

    /// <summary>Whether <paramref name="code"/> has a sealed code's shape (so it is never looked up as a filed code).</summary>
    public static bool IsSealedForm(string code) => TryParse(code, out _);

    /// <summary>A new code for a coupon of <paramref name="shopperId"/>; null if the id cannot be carried (<see cref="CanSeal"/>).</summary>
    public string? TrySeal(string shopperId)
    {
        if (!TryPack(shopperId, out var id))
        {
            return null;
        }

        var block = (id << (RandomBits + CheckBits)) | ((UInt128)(uint)RandomNumberGenerator.GetInt32(1 << RandomBits) << CheckBits);
        return Format(Transform(block, encrypt: true));
    }

    /// <summary>The shopper a code names and the code as issued (upper case, no separators); null if it opens to none.</summary>
    public OpenedCode? TryOpen(string code)
    {
        if (!TryParse(code, out var value))
        {
            return null;
        }

        var block = Transform(value, encrypt: false);
        return (block & ((UInt128.One << CheckBits) - 1)) == UInt128.Zero
            ? new OpenedCode(Unpack(block >> (RandomBits + CheckBits)), Format(value))
            : null;
    }

    private UInt128 Transform(UInt128 block, bool encrypt)
    {
        Span<byte> input = stackalloc byte[16];
        Span<byte> output = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(input, block);

        // One instance serves every grain of the node; its one-shot calls are not documented as thread-safe.
        lock (_aes)
        {
            if (encrypt)
            {
                _aes.EncryptEcb(input, output, PaddingMode.None);
            }
            else
            {
                _aes.DecryptEcb(input, output, PaddingMode.None);
            }
        }

        return BinaryPrimitives.ReadUInt128BigEndian(output);
    }

    private static bool TryPack(string shopperId, out UInt128 id)
    {
        id = UInt128.Zero;
        if (shopperId.Length != IdPrefix.Length + IdChars || !shopperId.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in shopperId.AsSpan(IdPrefix.Length))
        {
            // Ids are written in lower case; an upper-case one would not come back the same.
            var digit = char.IsAsciiLetterUpper(c) ? -1 : Alphabet.IndexOf(char.ToUpperInvariant(c));
            if (digit < 0)
            {
                return false;
            }

            id = (id << 5) | (uint)digit;
        }

        return true;
    }

    private static string Unpack(UInt128 id) => string.Create(IdPrefix.Length + IdChars, id, static (chars, value) =>
    {
        IdPrefix.CopyTo(chars);
        for (var i = chars.Length - 1; i >= IdPrefix.Length; i--, value >>= 5)
        {
            chars[i] = char.ToLowerInvariant(Alphabet[(int)(value & 31)]);
        }
    });

    private static string Format(UInt128 value) => string.Create(Length, value, static (chars, v) =>
    {
        for (var i = chars.Length - 1; i >= 0; i--, v >>= 5)
        {
            chars[i] = Alphabet[(int)(v & 31)];
        }
    });

    private static bool TryParse(string code, out UInt128 value)
    {
        value = UInt128.Zero;
        var digits = 0;
        foreach (var c in code)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var digit = Alphabet.IndexOf(char.ToUpperInvariant(c) switch { 'O' => '0', 'I' or 'L' => '1', var u => u });
            if (digit < 0 || ++digits > Length || (digits == 1 && digit >= 8))
            {
                return false;
            }

            value = (value << 5) | (uint)digit;
        }

        return digits == Length;
    }
}

/// <summary>What a sealed code opens to: its shopper, and the code as the wallet holds it.</summary>
public readonly record struct OpenedCode(string ShopperId, string Code);
