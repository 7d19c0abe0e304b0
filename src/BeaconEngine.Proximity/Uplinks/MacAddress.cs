using System.Diagnostics.CodeAnalysis;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// One spelling for MAC addresses. Each vendor writes them differently (<c>AC233FC0BC43</c>, <c>45:e1:74:12:6e:00</c>,
/// <c>5a3f1c9d0e42</c>); gateway registrations and logs should not depend on which one sent it.
/// </summary>
internal static class MacAddress
{
    private const int Octets = 6;

    /// <summary>Accepts 12 hex digits, bare or as six pairs joined by <c>:</c> or <c>-</c>; yields <c>AA:BB:CC:DD:EE:FF</c>.</summary>
    public static bool TryNormalize(ReadOnlySpan<char> text, [NotNullWhen(true)] out string? mac)
    {
        mac = null;
        text = text.Trim();
        int stride;
        if (text.Length == 2 * Octets)
        {
            stride = 2;
        }
        else if (text.Length == (3 * Octets) - 1)
        {
            stride = 3;
            var separator = text[2];
            if (separator is not (':' or '-'))
            {
                return false;
            }

            for (var i = 2; i < text.Length; i += 3)
            {
                if (text[i] != separator)
                {
                    return false;
                }
            }
        }
        else
        {
            return false;
        }

        Span<char> result = stackalloc char[(3 * Octets) - 1];
        for (var octet = 0; octet < Octets; octet++)
        {
            var hi = text[octet * stride];
            var lo = text[(octet * stride) + 1];
            if (!char.IsAsciiHexDigit(hi) || !char.IsAsciiHexDigit(lo))
            {
                return false;
            }

            result[octet * 3] = char.ToUpperInvariant(hi);
            result[(octet * 3) + 1] = char.ToUpperInvariant(lo);
            if (octet < Octets - 1)
            {
                result[(octet * 3) + 2] = ':';
            }
        }

        mac = new string(result);
        return true;
    }
}
