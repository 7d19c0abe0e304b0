namespace BeaconEngine.Proximity.Advertising;

/// <summary>Wording for error messages, so a reason reads "1 byte" rather than "1 bytes".</summary>
internal static class ByteCount
{
    public static string Of(int count) => count == 1 ? "1 byte" : $"{count} bytes";
}
