namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// A shopper id as the identity cache holds it, or none. The engine's ids (<c>shp_</c> and 20 lower-case characters
/// of Crockford's base32, 100 bits) are packed into 16 bytes inline, not kept as a string of about 72 bytes per held
/// identity; any other id is kept as given. <see cref="ToId"/> gives back exactly the id it was made from.
/// </summary>
internal readonly struct HeldShopperId
{
    private const string Prefix = "shp_";
    private const int Chars = 20;
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    // Bit 127 marks a packed id (the 100 bits below it); otherwise the id is _text, or none when that is null.
    private static readonly UInt128 PackedMark = UInt128.One << 127;

    private readonly UInt128 _packed;
    private readonly string? _text;

    private HeldShopperId(UInt128 packed, string? text) => (_packed, _text) = (packed, text);

    public static HeldShopperId From(string? shopperId) =>
        shopperId is null ? default
        : TryPack(shopperId, out var packed) ? new HeldShopperId(packed | PackedMark, null)
        : new HeldShopperId(UInt128.Zero, shopperId);

    /// <summary>Whether the id was packed (for tests: the engine's ids always are).</summary>
    public bool IsPacked => (_packed & PackedMark) != UInt128.Zero;

    /// <summary>The id as it was given; null for none.</summary>
    public string? ToId()
    {
        if (!IsPacked)
        {
            return _text;
        }

        return string.Create(Prefix.Length + Chars, _packed, static (chars, packed) =>
        {
            Prefix.AsSpan().CopyTo(chars);
            for (var i = Chars - 1; i >= 0; i--)
            {
                chars[Prefix.Length + i] = Alphabet[(int)(packed & 31)];
                packed >>= 5;
            }
        });
    }

    private static bool TryPack(string shopperId, out UInt128 packed)
    {
        packed = UInt128.Zero;
        if (shopperId.Length != Prefix.Length + Chars || !shopperId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = Prefix.Length; i < shopperId.Length; i++)
        {
            var digit = Alphabet.IndexOf(shopperId[i], StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            packed = (packed << 5) | (uint)digit;
        }

        return true;
    }
}
