using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Tests;

/// <summary>Turns a hex test vector into bytes; spaces are allowed so vectors can be grouped by AD structure.</summary>
internal static class TestHex
{
    public static byte[] Bytes(string hex)
    {
        Assert.True(Hex.TryDecode(hex.Replace(" ", "", StringComparison.Ordinal), out var bytes, out var error), error);
        return bytes;
    }
}
