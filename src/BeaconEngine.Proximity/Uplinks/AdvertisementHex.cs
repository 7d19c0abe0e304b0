using System.Diagnostics.CodeAnalysis;
using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Reads advertisement bytes that gateways relay as hex. A frame that claims to be an iBeacon but is malformed is
/// rejected, as in our native API: guessing an identity from a damaged frame would credit the wrong shopper.
/// </summary>
public static class AdvertisementHex
{
    /// <summary>Hex digits of the longest advertisement, plus room for a <c>0x</c> prefix.</summary>
    private const int MaxHexLength = 2 * (AdvertisementParser.MaxPayloadLength + 1);

    private const byte ManufacturerSpecificData = 0xFF;

    /// <summary>AD structures (<c>[length][type][data]</c>...), as Minew <c>rawData</c> and Ingics reports carry them.</summary>
    public static bool TryReadAdStructures(string field, string hex, out byte[] bytes, out IBeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        if (!TryDecode(field, hex, out bytes, out error))
        {
            return false;
        }

        return TryFindIBeacon(field, bytes, out frame, out error);
    }

    /// <summary>
    /// The data of one manufacturer-specific AD structure (company id first), as OpenMQTTGateway publishes it in
    /// <c>manufacturerdata</c>. It is wrapped into its AD structure so one parser judges every source alike.
    /// </summary>
    public static bool TryReadManufacturerData(string field, string hex, out IBeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        if (!TryDecode(field, hex, out var data, out error))
        {
            return false;
        }

        if (data.Length > AdvertisementParser.MaxPayloadLength - 2)
        {
            error = $"'{field}' is {data.Length} bytes; manufacturer data in one advertisement is at most {AdvertisementParser.MaxPayloadLength - 2}";
            return false;
        }

        var structure = new byte[data.Length + 2];
        structure[0] = (byte)(data.Length + 1);
        structure[1] = ManufacturerSpecificData;
        data.CopyTo(structure, 2);
        return TryFindIBeacon(field, structure, out frame, out error);
    }

    private static bool TryDecode(string field, string hex, out byte[] bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = [];
        if (hex.Length > MaxHexLength)
        {
            error = $"'{field}' is longer than an advertisement can be ({AdvertisementParser.MaxPayloadLength} bytes)";
            return false;
        }

        if (!Hex.TryDecode(hex, out bytes, out var hexError))
        {
            error = $"'{field}' is not valid hex: {hexError}";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryFindIBeacon(string field, byte[] bytes, out IBeaconFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        switch (AdvertisementParser.TryReadIBeacon(bytes, out var found, out var parseError))
        {
            case AdvertisementResult.Ok:
                frame = found;
                error = null;
                return true;
            case AdvertisementResult.NotIBeacon:
                error = null;
                return true;
            default:
                error = $"'{field}' is not a well-formed advertisement: {parseError}";
                return false;
        }
    }
}
