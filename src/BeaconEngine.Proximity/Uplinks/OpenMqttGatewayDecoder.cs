using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Decodes the BLE messages of OpenMQTTGateway and Theengs Gateway: topic <c>&lt;base&gt;/&lt;gateway&gt;/BTtoMQTT[/&lt;mac or uuid&gt;]</c>
/// (<c>home/OpenMQTTGateway/BTtoMQTT/45E174126E00</c> by default) and a JSON payload with <c>id</c>, <c>rssi</c> and,
/// when the Theengs decoder recognised an iBeacon, <c>model_id</c> <c>IBEACON</c> with <c>uuid</c>, <c>major</c>,
/// <c>minor</c> and <c>txpower</c>. See <c>docs/gateway-formats.md</c>.
/// </summary>
public static class OpenMqttGatewayDecoder
{
    private const string BleSubtopic = "BTtoMQTT";
    private const string IBeaconModel = "IBEACON";

    /// <inheritdoc cref="Decode(string, ReadOnlyMemory{byte})"/>
    public static UplinkDecodeResult Decode(string? topic, string? payload) => Decode(topic, UplinkJson.ToUtf8(payload));

    /// <summary>
    /// One message is one sighting, or one error: at <see cref="UplinkError.WholePayload"/> when the topic or JSON is
    /// unusable, at index 0 when a field is wrong.
    /// </summary>
    public static UplinkDecodeResult Decode(string? topic, ReadOnlyMemory<byte> utf8Payload)
    {
        if (!TryReadTopic(topic, out var gateway, out var suffix))
        {
            return UplinkDecodeResult.Rejected($"'{UplinkText.Abbreviate(topic)}' is not an OpenMQTTGateway BLE topic (<base>/<gateway>/BTtoMQTT[/<mac>])");
        }

        return UplinkJson.DecodeObject(
            utf8Payload,
            (gateway, suffix),
            static (JsonElement payload, (string Gateway, string? Suffix) topic, out UplinkSighting sighting, [NotNullWhen(false)] out string? error) =>
                TryRead(payload, topic.Gateway, topic.Suffix, out sighting, out error));
    }

    /// <summary>
    /// The base topic is configurable, so the gateway is whatever segment precedes <c>BTtoMQTT</c>. After it comes the
    /// device's MAC, the iBeacon UUID (<c>pubBeaconUuidForTopic</c>), or nothing when everything goes to one topic and
    /// the payload's <c>id</c> is the MAC.
    /// </summary>
    private static bool TryReadTopic(string? topic, [NotNullWhen(true)] out string? gateway, out string? suffix)
    {
        gateway = null;
        suffix = null;
        var segments = (topic ?? string.Empty).Split('/');
        var ble = Array.IndexOf(segments, BleSubtopic);
        if (ble < 1 || segments[ble - 1].Length is 0 or > UplinkLimits.MaxNameLength)
        {
            return false;
        }

        switch (segments.Length - ble - 1)
        {
            case 0:
                break;
            case 1 when segments[^1].Length > 0:
                suffix = segments[^1];
                break;
            default:
                return false;
        }

        gateway = segments[ble - 1];
        return true;
    }

    private static bool TryRead(JsonElement payload, string gateway, string? suffix, out UplinkSighting sighting, [NotNullWhen(false)] out string? error)
    {
        sighting = default;
        if (!UplinkJson.TryGet(payload, "id", out var idElement) || idElement.ValueKind != JsonValueKind.String
            || UplinkJson.Text(idElement) is not { Length: > 0 } id)
        {
            error = "'id' is required: the advertiser's MAC address (or its iBeacon UUID)";
            return false;
        }

        if (!UplinkJson.TryReadRssi(payload, "rssi", out var rssi, out error)
            || !UplinkJson.TryReadOptionalDistance(payload, "distance", out var distance, out error)
            || !UplinkJson.TryReadOptionalMac(payload, "mac", out var mac, out error)
            || !UplinkJson.TryReadOptionalString(payload, "model_id", out var model, out error)
            || !UplinkJson.TryReadOptionalString(payload, "manufacturerdata", out var manufacturerData, out error))
        {
            return false;
        }

        // With presenceUseBeaconUuid the id is the UUID and the MAC moves to "mac"; with a UUID topic the MAC is only in "id".
        var beaconMac = MacAddress.TryNormalize(id, out var idMac) ? idMac
            : mac ?? (MacAddress.TryNormalize(suffix, out var topicMac) ? topicMac : null);

        IBeaconFrame? frame = null;
        if (!string.IsNullOrEmpty(manufacturerData)
            && !AdvertisementHex.TryReadManufacturerData("manufacturerdata", manufacturerData, out frame, out error))
        {
            return false;
        }

        BeaconIdentity? reported = null;
        int? reportedPower = null;
        if (model == IBeaconModel && !TryReadDecodedIBeacon(payload, out reported, out reportedPower, out error))
        {
            return false;
        }

        if (!IBeaconEvidence.TryCombine(reported, reportedPower, frame, "manufacturerdata", out var identity, out var txPower, out error))
        {
            return false;
        }

        sighting = new UplinkSighting(gateway, beaconMac, Timestamp: null, rssi, txPower, Advertisement: null, identity, DeviceId: null, distance);
        return true;
    }

    /// <summary>
    /// Theengs decoder output for <c>IBEACON</c>. Its power field is <c>txpower</c> in current releases and <c>power</c>
    /// in older ones. It is read only for iBeacons: on other devices <c>txpower</c> is the advertised transmit level,
    /// not the calibrated power at 1 m.
    /// </summary>
    private static bool TryReadDecodedIBeacon(JsonElement payload, out BeaconIdentity? identity, out int? txPower, [NotNullWhen(false)] out string? error)
    {
        identity = null;
        txPower = null;
        if (!UplinkJson.TryReadUuid(payload, "uuid", out var uuid, out error)
            || !UplinkJson.TryReadUInt16(payload, "major", out var major, out error)
            || !UplinkJson.TryReadUInt16(payload, "minor", out var minor, out error)
            || !UplinkJson.TryReadOptionalDbm(payload, UplinkJson.TryGet(payload, "txpower", out _) ? "txpower" : "power", out txPower, out error))
        {
            return false;
        }

        identity = new BeaconIdentity(uuid, major, minor);
        return true;
    }
}
