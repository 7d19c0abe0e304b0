using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MessagePack;

namespace BeaconEngine.Server.Hubs;

/// <summary>
/// The argument of the hub's <c>ReportSightings</c>: the same shape as the body of <c>POST /api/v1/me/sightings</c>.
/// Keys are spelled out for JSON and MessagePack clients alike. Leaves are left loosely typed (a time may be a
/// string or a number), so each item is judged on its own by the same rules as over HTTP, not refused whole.
/// </summary>
[MessagePackObject]
public sealed class PhoneReportMessage
{
    [Key("sightings"), JsonPropertyName("sightings")] public List<PhoneSightingMessage?>? Sightings { get; set; }

    [Key("region"), JsonPropertyName("region")] public RegionMessage? Region { get; set; }

    [Key("shopperId"), JsonPropertyName("shopperId")] public string? ShopperId { get; set; }

    /// <summary>The report as the HTTP route would have read it.</summary>
    public JsonObject ToJson() => new()
    {
        ["sightings"] = Sightings is null ? null : new JsonArray([.. Sightings.Select(s => (JsonNode?)s?.ToJson())]),
        ["region"] = Region is null ? null : new JsonObject { ["event"] = Region.Event, ["ts"] = Leaf(Region.Ts) },
        ["shopperId"] = ShopperId,
    };

    /// <summary>A leaf as JSON: the JSON protocol binds it as a <see cref="JsonElement"/>, MessagePack as a number or string.</summary>
    internal static JsonNode? Leaf(object? value) => value switch
    {
        null => null,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        byte or sbyte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        ulong big => JsonValue.Create(big),
        float or double => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };
}

[MessagePackObject]
public sealed class PhoneSightingMessage
{
    [Key("ts"), JsonPropertyName("ts")] public object? Ts { get; set; }

    [Key("rssi"), JsonPropertyName("rssi")] public object? Rssi { get; set; }

    [Key("ibeacon"), JsonPropertyName("ibeacon")] public IBeaconMessage? IBeacon { get; set; }

    [Key("accuracy"), JsonPropertyName("accuracy")] public object? Accuracy { get; set; }

    public JsonObject ToJson() => new()
    {
        ["ts"] = PhoneReportMessage.Leaf(Ts),
        ["rssi"] = PhoneReportMessage.Leaf(Rssi),
        ["ibeacon"] = IBeacon is null ? null : new JsonObject
        {
            ["uuid"] = PhoneReportMessage.Leaf(IBeacon.Uuid),
            ["major"] = PhoneReportMessage.Leaf(IBeacon.Major),
            ["minor"] = PhoneReportMessage.Leaf(IBeacon.Minor),
        },
        ["accuracy"] = PhoneReportMessage.Leaf(Accuracy),
    };
}

[MessagePackObject]
public sealed class IBeaconMessage
{
    [Key("uuid"), JsonPropertyName("uuid")] public object? Uuid { get; set; }

    [Key("major"), JsonPropertyName("major")] public object? Major { get; set; }

    [Key("minor"), JsonPropertyName("minor")] public object? Minor { get; set; }
}

[MessagePackObject]
public sealed class RegionMessage
{
    [Key("event"), JsonPropertyName("event")] public string? Event { get; set; }

    [Key("ts"), JsonPropertyName("ts")] public object? Ts { get; set; }
}

/// <summary>The answer to <c>ReportSightings</c>, as the HTTP route's 202 body.</summary>
[MessagePackObject]
public sealed class PhoneReportReceipt
{
    [Key("accepted")] public int Accepted { get; init; }

    [Key("dropped")] public int Dropped { get; init; }

    [Key("rejected")] public required RejectedMessage[] Rejected { get; init; }
}

[MessagePackObject]
public sealed class RejectedMessage
{
    [Key("index")] public int Index { get; init; }

    [Key("error")] public required string Error { get; init; }
}
