namespace BeaconEngine.Proximity.Advertising;

/// <summary>Hex decoding that reports a reason instead of throwing.</summary>
public static class Hex
{
    /// <summary>Decodes <paramref name="text"/> (upper or lower case, optional <c>0x</c> prefix).</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes, out string? error)
    {
        bytes = [];
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        if (text.IsEmpty)
        {
            error = "hex string is empty";
            return false;
        }

        if (text.Length % 2 != 0)
        {
            error = $"hex string has an odd number of digits ({text.Length})";
            return false;
        }

        var result = new byte[text.Length / 2];
        for (var i = 0; i < result.Length; i++)
        {
            var hi = Digit(text[2 * i]);
            var lo = Digit(text[(2 * i) + 1]);
            if (hi < 0 || lo < 0)
            {
                var at = hi < 0 ? 2 * i : (2 * i) + 1;
                error = $"'{text[at]}' at position {at} is not a hex digit";
                return false;
            }

            result[i] = (byte)((hi << 4) | lo);
        }

        bytes = result;
        error = null;
        return true;
    }

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
