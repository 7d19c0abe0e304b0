using System.Security.Cryptography;

namespace BeaconEngine.Grains;

/// <summary>Random identifiers and codes in Crockford's base32 (no I, L, O, U: easy to read aloud and type at a till).</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>An id like <c>cpn_7Q2M...</c> with 100 random bits.</summary>
    public static string New(string prefix) => $"{prefix}_{Random(20).ToLowerInvariant()}";

    /// <summary><paramref name="length"/> random base32 characters (5 bits each).</summary>
    public static string Random(int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        return string.Create(length, bytes.ToArray(), static (chars, b) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[b[i] & 31];
            }
        });
    }
}
