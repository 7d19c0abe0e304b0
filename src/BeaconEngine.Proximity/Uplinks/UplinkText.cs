namespace BeaconEngine.Proximity.Uplinks;

/// <summary>Echoing input in an error helps whoever reads the rejection, but a hostile payload must not make errors huge.</summary>
internal static class UplinkText
{
    private const int MaxEchoLength = 80;

    public static string Abbreviate(string? text) =>
        text is null ? string.Empty : text.Length <= MaxEchoLength ? text : string.Concat(text.AsSpan(0, MaxEchoLength), "…");
}
