using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace BeaconEngine.Server.Security;

/// <summary>Issuing and hashing bearer keys. Only the SHA-256 of a key is ever stored.</summary>
public static class AccessKeys
{
    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>A new key with 256 random bits, prefixed by its kind (e.g. <c>gw_</c>) so a leaked key is recognisable.</summary>
    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return $"{prefix}_{Base64Url(bytes)}";
    }

    /// <summary>
    /// Whether a presented key has the shape of an issued one (<c>gw_</c>, <c>br_</c>, <c>tl_</c> or <c>sh_</c>, then 43
    /// base64url characters), so malformed keys are refused without a lookup.
    /// </summary>
    public static bool LooksIssued(string key) =>
        key.Length == 46 && key[2] == '_' && key[..2] is "gw" or "br" or "sh" or "tl"
        && key.AsSpan(3).IndexOfAnyExcept(Base64UrlCharacters) < 0;

    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(HashBytes(key));

    public static byte[] HashBytes(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Compares two keys in time that does not depend on where they differ.</summary>
    public static bool FixedTimeEquals(string presented, byte[] expectedHash) =>
        CryptographicOperations.FixedTimeEquals(HashBytes(presented), expectedHash);

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
