using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Decodes the per-device MQTT messages of ESPresense nodes: topic <c>espresense/devices/&lt;id&gt;/&lt;room&gt;</c>
/// and a JSON payload with <c>rssi</c>, <c>rssi@1m</c>, <c>distance</c> and <c>mac</c>. A node is named after its room,
/// so the room is the gateway. See <c>docs/gateway-formats.md</c>.
/// </summary>
public static class EspresenseDecoder
{
    /// <summary>The firmware hard-codes this base topic (its CHANNEL); it is not configurable.</summary>
    private const string Channel = "espresense";
    private const string Devices = "devices";
    private const string IBeaconPrefix = "iBeacon:";
    private const int TopicSegments = 4;
    private const int UuidLength = 36;

    /// <inheritdoc cref="Decode(string, ReadOnlyMemory{byte})"/>
    public static UplinkDecodeResult Decode(string? topic, string? payload) => Decode(topic, UplinkJson.ToUtf8(payload));

    /// <summary>
    /// One message is one sighting, or one error: at <see cref="UplinkError.WholePayload"/> when the topic or JSON is
    /// unusable, at index 0 when a field is wrong.
    /// </summary>
    public static UplinkDecodeResult Decode(string? topic, ReadOnlyMemory<byte> utf8Payload)
    {
        if (!TryReadTopic(topic, out var deviceId, out var room))
        {
            return UplinkDecodeResult.Rejected($"'{UplinkText.Abbreviate(topic)}' is not an ESPresense device topic (espresense/devices/<id>/<room>)");
        }

        return UplinkJson.DecodeObject(
            utf8Payload,
            (deviceId, room),
            static (JsonElement payload, (string DeviceId, string Room) topic, out UplinkSighting sighting, [NotNullWhen(false)] out string? error) =>
                TryRead(payload, topic.DeviceId, topic.Room, out sighting, out error));
    }

    /// <summary>
    /// Only <c>espresense/devices/&lt;id&gt;/&lt;room&gt;</c>: deeper topics under it are one-off query reports
    /// (e.g. a battery level), not sightings.
    /// </summary>
    private static bool TryReadTopic(string? topic, [NotNullWhen(true)] out string? deviceId, [NotNullWhen(true)] out string? room)
    {
        deviceId = null;
        room = null;
        var segments = (topic ?? string.Empty).Split('/');
        if (segments.Length != TopicSegments || segments[0] != Channel || segments[1] != Devices
            || segments[2].Length is 0 or > UplinkLimits.MaxNameLength || segments[3].Length is 0 or > UplinkLimits.MaxNameLength)
        {
            return false;
        }

        deviceId = segments[2];
        room = segments[3];
        return true;
    }

    private static bool TryRead(JsonElement payload, string deviceId, string room, out UplinkSighting sighting, [NotNullWhen(false)] out string? error)
    {
        sighting = default;
        if (!UplinkJson.TryReadOptionalString(payload, "id", out var id, out error))
        {
            return false;
        }

        if (id is not null && id != deviceId)
        {
            error = $"'id' ({UplinkText.Abbreviate(id)}) differs from the id in the topic ({UplinkText.Abbreviate(deviceId)})";
            return false;
        }

        if (!UplinkJson.TryReadRssi(payload, "rssi", out var rssi, out error)
            || !UplinkJson.TryReadOptionalDbm(payload, "rssi@1m", out var txPower, out error)
            || !UplinkJson.TryReadOptionalDistance(payload, "distance", out var distance, out error)
            || !UplinkJson.TryReadOptionalMac(payload, "mac", out var mac, out error))
        {
            return false;
        }

        BeaconIdentity? identity = null;
        if (deviceId.StartsWith(IBeaconPrefix, StringComparison.Ordinal))
        {
            if (!TryParseIBeaconId(deviceId.AsSpan(IBeaconPrefix.Length), out var parsed))
            {
                error = $"the id '{UplinkText.Abbreviate(deviceId)}' starts with iBeacon: but is not iBeacon:<uuid>-<major>-<minor>";
                return false;
            }

            identity = parsed;
        }

        sighting = new UplinkSighting(room, mac, Timestamp: null, rssi, txPower, Advertisement: null, identity, deviceId, distance);
        return true;
    }

    /// <summary>The firmware writes <c>iBeacon:%s-%u-%u</c>: the dashed UUID, then major and minor in decimal.</summary>
    private static bool TryParseIBeaconId(ReadOnlySpan<char> text, out BeaconIdentity identity)
    {
        identity = default;
        if (text.Length < UuidLength + 4 || text[UuidLength] != '-'
            || !Guid.TryParseExact(text[..UuidLength], "D", out var uuid))
        {
            return false;
        }

        var numbers = text[(UuidLength + 1)..];
        var dash = numbers.IndexOf('-');
        if (dash < 0
            || !ushort.TryParse(numbers[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !ushort.TryParse(numbers[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        identity = new BeaconIdentity(uuid, major, minor);
        return true;
    }
}
