using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Decodes the "JSON-LONG" body that Minew G1, MG3 and MG4 gateways POST over HTTP: a JSON array holding one object of
/// <c>"type":"Gateway"</c> (the gateway's own <c>mac</c>) and one object per advertisement heard. See
/// <c>docs/gateway-formats.md</c> for the fields read.
/// </summary>
public static class MinewJsonLongDecoder
{
    private const string GatewayType = "Gateway";
    private const string IBeaconType = "iBeacon";

    /// <inheritdoc cref="Decode(ReadOnlyMemory{byte})"/>
    public static UplinkDecodeResult Decode(string? body) => Decode(UplinkJson.ToUtf8(body));

    /// <summary>
    /// Every device object becomes a sighting or an error at its array index. The gateway object is not a sighting; a
    /// body without one is accepted (older G1 firmware omits it) and its sightings carry no gateway id.
    /// </summary>
    public static UplinkDecodeResult Decode(ReadOnlyMemory<byte> utf8Body)
    {
        if (!UplinkJson.TryParse(utf8Body, out var document, out var parseError))
        {
            return UplinkDecodeResult.Rejected(parseError);
        }

        using (document)
        {
            try
            {
                return Decode(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // The JSON reader lets invalid UTF-8 and escaped lone surrogates through; decoding them throws.
                return UplinkDecodeResult.Rejected("the body holds text that is not valid Unicode (bad UTF-8 or a lone surrogate)");
            }
        }
    }

    private static UplinkDecodeResult Decode(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return UplinkDecodeResult.Rejected("the body must be a JSON array of objects (Minew JSON-LONG)");
        }

        var count = root.GetArrayLength();
        if (count > UplinkLimits.MaxItems)
        {
            return UplinkDecodeResult.Rejected($"the body has {count} items; at most {UplinkLimits.MaxItems} are allowed, so shorten the gateway's upload interval");
        }

        var errors = new List<UplinkError>();
        var gateway = ReadGateway(root, errors);
        var sightings = new List<UplinkSighting>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var i = index++;
            if (IsGateway(item))
            {
                continue;
            }

            if (TryReadDevice(item, gateway, out var sighting, out var error))
            {
                sightings.Add(sighting with { Index = i });
            }
            else
            {
                errors.Add(new UplinkError(i, error));
            }
        }

        errors.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return new UplinkDecodeResult(sightings, errors);
    }

    private static bool IsGateway(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && UplinkJson.TryGet(item, "type", out var type)
        && type.ValueKind == JsonValueKind.String && type.ValueEquals(GatewayType);

    /// <summary>One body comes from one gateway; a second gateway object naming another MAC is rejected, not merged.</summary>
    private static string? ReadGateway(JsonElement root, List<UplinkError> errors)
    {
        string? gateway = null;
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var i = index++;
            if (!IsGateway(item))
            {
                continue;
            }

            if (!UplinkJson.TryGet(item, "mac", out var macElement) || macElement.ValueKind != JsonValueKind.String
                || !MacAddress.TryNormalize(UplinkJson.Text(macElement), out var mac))
            {
                errors.Add(new UplinkError(i, "the 'Gateway' object's 'mac' must be the gateway's MAC address (12 hex digits)"));
                continue;
            }

            if (gateway is null)
            {
                gateway = mac;
            }
            else if (gateway != mac)
            {
                errors.Add(new UplinkError(i, $"a second 'Gateway' object names another gateway ({mac}, after {gateway}); one body comes from one gateway"));
            }
        }

        return gateway;
    }

    private static bool TryReadDevice(JsonElement item, string? gateway, out UplinkSighting sighting, [NotNullWhen(false)] out string? error)
    {
        sighting = default;
        if (item.ValueKind != JsonValueKind.Object)
        {
            error = "an item must be a JSON object";
            return false;
        }

        if (!UplinkJson.TryReadOptionalString(item, "type", out var type, out error))
        {
            return false;
        }

        if (!UplinkJson.TryGet(item, "mac", out var macElement) || macElement.ValueKind != JsonValueKind.String
            || !MacAddress.TryNormalize(UplinkJson.Text(macElement), out var mac))
        {
            error = "'mac' is required: the advertiser's MAC address (12 hex digits)";
            return false;
        }

        if (!UplinkJson.TryReadRssi(item, "rssi", out var rssi, out error)
            || !UplinkJson.TryReadOptionalTime(item, "timestamp", out var timestamp, out error)
            || !UplinkJson.TryReadOptionalString(item, "rawData", out var rawData, out error))
        {
            return false;
        }

        // Unknown devices without advertising data come with "rawData":"": nothing was relayed, which is not an error.
        ReadOnlyMemory<byte>? advertisement = null;
        IBeaconFrame? frame = null;
        if (!string.IsNullOrEmpty(rawData))
        {
            if (!AdvertisementHex.TryReadAdStructures("rawData", rawData, out var bytes, out frame, out error))
            {
                return false;
            }

            advertisement = bytes;
        }

        if (!TryReadReportedIBeacon(item, out var reported, out var reportedPower, out error)
            || !IBeaconEvidence.TryCombine(reported, reportedPower, frame, "rawData", out var identity, out var txPower, out error))
        {
            return false;
        }

        if (type == IBeaconType && identity is null)
        {
            error = "'type' is \"iBeacon\" but neither ibeaconUuid/ibeaconMajor/ibeaconMinor nor 'rawData' carry an iBeacon";
            return false;
        }

        sighting = new UplinkSighting(gateway, mac, timestamp, rssi, txPower, advertisement, identity, DeviceId: null, DistanceMetres: null);
        return true;
    }

    /// <summary>The decoded fields are all-or-nothing: a UUID without its major and minor identifies no one.</summary>
    private static bool TryReadReportedIBeacon(JsonElement item, out BeaconIdentity? identity, out int? txPower, [NotNullWhen(false)] out string? error)
    {
        identity = null;
        txPower = null;
        error = null;
        if (!UplinkJson.TryGet(item, "ibeaconUuid", out _) && !UplinkJson.TryGet(item, "ibeaconMajor", out _)
            && !UplinkJson.TryGet(item, "ibeaconMinor", out _))
        {
            return true;
        }

        if (!UplinkJson.TryReadUuid(item, "ibeaconUuid", out var uuid, out error)
            || !UplinkJson.TryReadUInt16(item, "ibeaconMajor", out var major, out error)
            || !UplinkJson.TryReadUInt16(item, "ibeaconMinor", out var minor, out error)
            || !UplinkJson.TryReadOptionalDbm(item, "ibeaconTxPower", out txPower, out error))
        {
            return false;
        }

        identity = new BeaconIdentity(uuid, major, minor);
        return true;
    }
}
