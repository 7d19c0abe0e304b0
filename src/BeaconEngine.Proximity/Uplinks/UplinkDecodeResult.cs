namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// What a decoder made of one payload. Decoders never throw on bad input: whatever could not be used is in
/// <see cref="Errors"/>, and every good item is still in <see cref="Sightings"/>.
/// </summary>
public sealed record UplinkDecodeResult(IReadOnlyList<UplinkSighting> Sightings, IReadOnlyList<UplinkError> Errors)
{
    /// <summary>A payload that yielded nothing at all, for one reason.</summary>
    internal static UplinkDecodeResult Rejected(string error) => new([], [new UplinkError(UplinkError.WholePayload, error)]);
}
