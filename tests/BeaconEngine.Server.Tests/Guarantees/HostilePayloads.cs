using System.Text;
using System.Text.Json.Nodes;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>A request body that must never be taken: what it is and its bytes.</summary>
public sealed record HostileBody(string Kind, byte[] Bytes, string ContentType = "application/json", bool Large = false);

/// <summary>
/// Seeded generator of malformed and oversized bodies. Every body it makes is broken in a way the route
/// must refuse: no mutation is left that could turn into a valid request.
/// </summary>
public sealed class HostilePayloads(Random random)
{
    private static readonly string[] WrongForString = ["12345", "true", "{}", "[]", "[\"a\",1]", "1e400", "-0.0", "{\"$ref\":\"#\"}"];
    private static readonly string[] WrongForNumber = ["\"abc\"", "\"\"", "{}", "[]", "true", "\"1e400\"", "\"0x10\"", "\"NaN\""];
    private static readonly string[] HugeNumbers =
        ["1e400", "-1e400", "123456789012345678901234567890", "-99999999999999999999999999999", "1E+99999", "340282366920938463463374607431768211456"];
    private static readonly string[] WrongTopLevel = ["[]", "123", "\"text\"", "null", "true", "[{}]", "-1e400", "\"\\u0000\""];
    private static readonly byte[][] BadUtf8 =
        [[0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]];
    private static readonly string[] BadHex = ["ZZ", "0", "0x0201061AFF", "02010", "GG01", " 0201 ", "0201061AFF4C000215", "\u00e902"];

    /// <summary>A broken body for a route whose valid shape is <paramref name="template"/> (or unknown).</summary>
    public HostileBody Next(JsonNode? template, IReadOnlyList<string> requiredPaths)
    {
        var json = template?.ToJsonString() ?? """{"name":"x","items":[1,2,{"id":"a"}],"flag":true}""";
        var pick = random.Next(100);
        return pick switch
        {
            < 12 => new("truncated", Utf8(json[..random.Next(1, json.Length - 1)])),
            < 20 => new("random bytes", RandomBytes(random.Next(1, 2_000))),
            < 30 => new("invalid UTF-8", InvalidUtf8(json)),
            < 36 => ReplaceString(json, "\\uD800x") is { } surrogate ? new("lone surrogate", Utf8(surrogate)) : new("lone surrogate", Utf8("{\"name\":\"\\uDC00\"")),
            < 44 => new("wrong top-level type", Utf8(WrongTopLevel[random.Next(WrongTopLevel.Length)])),
            < 52 => new("deep nesting", DeepNesting(json)),
            < 62 when template is not null && LeafPaths(template, numeric: true).Count > 0 =>
                new("huge number", Utf8(Replace(template, Pick(LeafPaths(template, numeric: true)), HugeNumbers[random.Next(HugeNumbers.Length)]))),
            < 80 when template is not null => WrongType(template),
            < 88 when requiredPaths.Count > 0 => new("required field missing", Utf8(Remove(template!, requiredPaths[random.Next(requiredPaths.Count)]))),
            < 92 => new("wrong content type", Utf8("<offer><title>x</title></offer>"), "application/xml"),
            < 96 => new("empty", []),
            _ => new("control characters", Utf8("{\"name\":\"a\u0001\nb\",\u0007}")),
        };
    }

    /// <summary>A body over the 1 MiB limit: 2 MiB of the template padded with whitespace.</summary>
    public static HostileBody TwoMebibytes(JsonNode? template)
    {
        var json = template?.ToJsonString() ?? "{}";
        return new("2 MiB body", Utf8(json[..^1] + new string(' ', 2 * 1024 * 1024) + json[^1]), Large: true);
    }

    /// <summary>A native sightings batch one item over the limit.</summary>
    public static HostileBody OverLimitBatch(string uuid) =>
        new("5,001-item batch", Utf8("{\"sightings\":[" + string.Join(",", Enumerable.Range(0, 5_001).Select(i => $$$"""{"rssi":-60,"ibeacon":{"uuid":"{{{uuid}}}","major":{{{60_000 + (i % 5_000)}}},"minor":1}}""")) + "]}"));

    /// <summary>Sighting items broken one way each, for the item-by-item path: bad hex, huge numbers, wrong types.</summary>
    public HostileBody BrokenSightingItems(string uuid)
    {
        var items = Enumerable.Range(0, random.Next(1, 20)).Select(_ => random.Next(6) switch
        {
            0 => $$"""{"rssi":-60,"rawData":"{{BadHex[random.Next(BadHex.Length)]}}"}""",
            1 => $$$"""{"rssi":{{{HugeNumbers[random.Next(HugeNumbers.Length)]}}},"ibeacon":{"uuid":"{{{uuid}}}","major":1,"minor":1}}""",
            2 => $$$"""{"rssi":-60,"ibeacon":{"uuid":"{{{uuid}}}","major":{{{HugeNumbers[random.Next(HugeNumbers.Length)]}}},"minor":1}}""",
            3 => $$$"""{"rssi":"loud","ibeacon":{"uuid":"not-a-uuid","major":1,"minor":1}}""",
            4 => $$$"""{"ts":"yesterday","rssi":-60,"ibeacon":{"uuid":"{{{uuid}}}","major":1,"minor":1}}""",
            _ => $$"""{"rssi":-60,"rawData":"{{new string('A', random.Next(1, 4) * 1_001)}}"}""",
        });
        return new("broken sighting items", Utf8($$"""{"sightings":[{{string.Join(",", items)}}]}"""));
    }

    /// <summary>Vendor payloads that cannot be read, or whose every item is broken.</summary>
    public HostileBody BrokenVendorPayload(bool ingics) => ingics
        ? new("broken Ingics lines", Utf8(string.Join("\n", Enumerable.Range(0, random.Next(1, 10)).Select(_ => random.Next(4) switch
        {
            0 => $"$GPRP,AC233FA00001,AC233F000002,-60,{BadHex[random.Next(BadHex.Length)]}",
            1 => $"$GPRP,AC233FA00001,AC233F000002,{HugeNumbers[random.Next(HugeNumbers.Length)]},0201061AFF",
            2 => "$GPRP,,,,",
            _ => Convert.ToBase64String(RandomBytes(40)),
        }))), "text/plain")
        : new("broken Minew items", Utf8("[" + string.Join(",", Enumerable.Range(0, random.Next(1, 10)).Select(_ => random.Next(4) switch
        {
            0 => $$"""{"type":"Unknown","mac":"AC233FA00001","rssi":-60,"rawData":"{{BadHex[random.Next(BadHex.Length)]}}"}""",
            1 => $$"""{"type":"iBeacon","mac":"AC233FA00001","rssi":{{HugeNumbers[random.Next(HugeNumbers.Length)]}}}""",
            2 => """{"type":"iBeacon","mac":"AC233FA00001","rssi":-60,"ibeaconUuid":"XYZ","ibeaconMajor":1}""",
            _ => """{"type":"iBeacon","rssi":"near"}""",
        })) + "]"));

    private HostileBody WrongType(JsonNode template)
    {
        var path = Pick(LeafPaths(template, numeric: null));
        var leaf = Find(template, path);
        var wrong = leaf is JsonValue value && value.TryGetValue<string>(out _)
            ? WrongForString[random.Next(WrongForString.Length)]
            : leaf is JsonValue number && number.TryGetValue<double>(out _)
                ? WrongForNumber[random.Next(WrongForNumber.Length)]
                : leaf is JsonArray
                    ? "\"not a list\""
                    : "\"yes\"";
        return new($"wrong type at {path}", Utf8(Replace(template, path, wrong)));
    }

    private byte[] InvalidUtf8(string json)
    {
        var marker = "\u0001MARK\u0001";
        var text = ReplaceString(json, marker) ?? "{\"name\":\"" + marker + "\"}";

        var parts = text.Split(marker);
        var bad = BadUtf8[random.Next(BadUtf8.Length)];
        return [.. Utf8(parts[0]), .. bad, .. Utf8(parts[1])];
    }

    private byte[] DeepNesting(string json)
    {
        var depth = random.Next(2) == 0 ? random.Next(33, 200) : random.Next(1_000, 50_000);
        var (open, close) = random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        return Utf8(random.Next(2) == 0 || ReplaceString(json, "\u0002") is not { } marked
            ? nested
            : marked.Replace("\"\u0002\"", nested, StringComparison.Ordinal));
    }

    /// <summary>Replaces the first string value of the JSON text with <paramref name="raw"/> (inside the quotes); null if it has none.</summary>
    private static string? ReplaceString(string json, string raw)
    {
        var start = json.IndexOf(":\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = json.IndexOf('"', start + 2);
        return json[..(start + 2)] + raw + json[end..];
    }

    private string Pick(List<string> items) => items[random.Next(items.Count)];

    /// <summary>Paths of leaves (and arrays) of the template; numeric: only numbers, null: any.</summary>
    private static List<string> LeafPaths(JsonNode node, bool? numeric, string path = "")
    {
        var paths = new List<string>();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (child is not null)
                    {
                        paths.AddRange(LeafPaths(child, numeric, path.Length == 0 ? name : $"{path}.{name}"));
                    }
                }

                break;
            case JsonArray array:
                if (numeric is null && path.Length > 0)
                {
                    paths.Add(path);
                }

                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        paths.AddRange(LeafPaths(item, numeric, $"{path}[{i}]"));
                    }
                }

                break;
            case JsonValue value:
                var isNumber = value.TryGetValue<double>(out _);
                if (numeric is null || numeric == isNumber)
                {
                    paths.Add(path);
                }

                break;
        }

        return paths;
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        var node = root;
        foreach (var step in Steps(path))
        {
            node = step is int i ? node!.AsArray()[i] : node!.AsObject()[(string)step];
        }

        return node;
    }

    /// <summary>The template's text with the value at <paramref name="path"/> replaced by raw JSON text.</summary>
    private static string Replace(JsonNode template, string path, string raw)
    {
        const string Marker = "\u0003MARK\u0003";
        var copy = template.DeepClone();
        var steps = Steps(path).ToList();
        var parent = steps.Count == 1 ? copy : Find(copy, string.Join("", Rejoin(steps[..^1])));
        if (steps[^1] is int i)
        {
            parent!.AsArray()[i] = Marker;
        }
        else
        {
            parent!.AsObject()[(string)steps[^1]] = Marker;
        }

        return copy.ToJsonString().Replace("\"\\u0003MARK\\u0003\"", raw, StringComparison.Ordinal);
    }

    private static string Remove(JsonNode template, string path)
    {
        var copy = template.DeepClone();
        var steps = Steps(path).ToList();
        var parent = steps.Count == 1 ? copy : Find(copy, string.Join("", Rejoin(steps[..^1])));
        parent!.AsObject().Remove((string)steps[^1]);
        return copy.ToJsonString();
    }

    private static IEnumerable<object> Steps(string path)
    {
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket != 0)
            {
                yield return bracket < 0 ? part : part[..bracket];
            }

            while (bracket >= 0)
            {
                var close = part.IndexOf(']', bracket);
                yield return int.Parse(part[(bracket + 1)..close], System.Globalization.CultureInfo.InvariantCulture);
                bracket = part.IndexOf('[', close);
            }
        }
    }

    private static IEnumerable<string> Rejoin(List<object> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            yield return steps[i] is int index ? $"[{index}]" : (i == 0 ? "" : ".") + steps[i];
        }
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
