using System.Globalization;
using System.Text.Json;
using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Uplinks;

namespace BeaconEngine.Gateway.Sources;

/// <summary>
/// Reads recorded sightings, in event-time order as the file has them:
/// <list type="bullet">
/// <item>JSON Lines: one native sighting per line, <c>{"ts", "rssi", "ibeacon": {"uuid","major","minor"}}</c> or
/// <c>"rawData": "&lt;hex&gt;"</c>; <c>ts</c> is Unix milliseconds or ISO-8601.</item>
/// <item>CSV with a header: <c>ts,rssi,uuid,major,minor</c> or <c>ts,rssi,rawData</c>.</item>
/// <item>The Kolakowski 2021 dataset's walks: <c>,ts,rssi_1..rssi_N</c> with <c>ts</c> in Unix nanoseconds; one receiver's
/// column is this gateway, and the tag is the configured iBeacon.</item>
/// </list>
/// A broken line is skipped and reported through <c>onError</c>, never fatal.
/// </summary>
public static class RecordingReader
{
    public static RecordingFormat Detect(string path, string? header)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".jsonl" or ".ndjson" or ".json")
        {
            return RecordingFormat.JsonLines;
        }

        return header is not null && header.Split(',').Any(h => h.Trim().StartsWith("rssi_", StringComparison.Ordinal))
            ? RecordingFormat.Kolakowski
            : RecordingFormat.Csv;
    }

    public static IEnumerable<GatewaySighting> Read(TextReader reader, RecordingFormat format, SourceOptions options, Action<int, string> onError)
    {
        return format switch
        {
            RecordingFormat.JsonLines => ReadJsonLines(reader, onError),
            RecordingFormat.Csv => ReadCsv(reader, onError),
            RecordingFormat.Kolakowski => ReadKolakowski(reader, options, onError),
            _ => throw new ArgumentException("Detect the format first.", nameof(format)),
        };
    }

    public static IEnumerable<GatewaySighting> ReadJsonLines(TextReader reader, Action<int, string> onError)
    {
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (TryParseJsonLine(line, out var sighting, out var error))
            {
                yield return sighting;
            }
            else
            {
                onError(number, error);
            }
        }
    }

    /// <param name="heardNow">For live input: the time of a line without <c>ts</c>; null where <c>ts</c> is required.</param>
    public static bool TryParseJsonLine(string line, out GatewaySighting sighting, out string error, DateTimeOffset? heardNow = null)
    {
        sighting = default;
        error = "";
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "a line must be a JSON object";
                return false;
            }

            if (!root.TryGetProperty("rssi", out var rssiElement) || rssiElement.ValueKind != JsonValueKind.Number)
            {
                error = "'rssi' is required (a number of dBm)";
                return false;
            }

            DateTimeOffset at;
            if (heardNow is { } now && !root.TryGetProperty("ts", out _))
            {
                at = now;
            }
            else if (!TryReadTime(root, out at, out error))
            {
                return false;
            }

            if (root.TryGetProperty("ibeacon", out var ib) && ib.ValueKind == JsonValueKind.Object)
            {
                if (!ib.TryGetProperty("uuid", out var u) || !Guid.TryParse(u.GetString(), out var uuid)
                    || !ib.TryGetProperty("major", out var ma) || !ma.TryGetUInt16(out var major)
                    || !ib.TryGetProperty("minor", out var mi) || !mi.TryGetUInt16(out var minor))
                {
                    error = "'ibeacon' needs uuid, major and minor";
                    return false;
                }

                sighting = new GatewaySighting(at, rssiElement.GetDouble(), new BeaconIdentity(uuid, major, minor), null);
                return true;
            }

            if (root.TryGetProperty("rawData", out var raw) && raw.ValueKind == JsonValueKind.String)
            {
                return TryRaw(raw.GetString()!, at, rssiElement.GetDouble(), out sighting, out error);
            }

            error = "give 'ibeacon' or 'rawData'";
            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            error = $"not a JSON sighting: {ex.Message}";
            return false;
        }
    }

    public static IEnumerable<GatewaySighting> ReadCsv(TextReader reader, Action<int, string> onError)
    {
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray() ?? [];
        int Column(string name) => Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        var (ts, rssi, uuid, major, minor, raw) = (Column("ts"), Column("rssi"), Column("uuid"), Column("major"), Column("minor"), Column("rawData"));
        if (ts < 0 || rssi < 0 || (raw < 0 && (uuid < 0 || major < 0 || minor < 0)))
        {
            onError(1, "the header must name ts, rssi and either uuid, major, minor or rawData");
            yield break;
        }

        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split(',');
            string Cell(int i) => i >= 0 && i < cells.Length ? cells[i].Trim() : "";
            if (!TryParseTime(Cell(ts), out var at) || !double.TryParse(Cell(rssi), NumberStyles.Float, CultureInfo.InvariantCulture, out var dbm))
            {
                onError(number, "ts and rssi must be a time (Unix ms or ISO-8601) and a number");
                continue;
            }

            if (raw >= 0 && Cell(raw).Length > 0)
            {
                if (TryRaw(Cell(raw), at, dbm, out var s, out var error))
                {
                    yield return s;
                }
                else
                {
                    onError(number, error);
                }

                continue;
            }

            if (Guid.TryParse(Cell(uuid), out var id)
                && ushort.TryParse(Cell(major), CultureInfo.InvariantCulture, out var ma)
                && ushort.TryParse(Cell(minor), CultureInfo.InvariantCulture, out var mi))
            {
                yield return new GatewaySighting(at, dbm, new BeaconIdentity(id, ma, mi), null);
            }
            else
            {
                onError(number, "uuid, major and minor must be a UUID and two numbers from 0 to 65535");
            }
        }
    }

    /// <summary>One receiver of a Kolakowski walk: its non-blank readings, as sightings of the configured tag.</summary>
    public static IEnumerable<GatewaySighting> ReadKolakowski(TextReader reader, SourceOptions options, Action<int, string> onError)
    {
        if (!TryParseIdentity(options.Identity, out var identity))
        {
            onError(0, "Source:Identity must be uuid:major:minor for a Kolakowski recording");
            yield break;
        }

        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray() ?? [];
        var ts = Array.IndexOf(header, "ts");
        var column = Array.IndexOf(header, $"rssi_{options.Anchor}");
        if (ts < 0 || column < 0)
        {
            onError(1, $"the header has no ts or rssi_{options.Anchor} column");
            yield break;
        }

        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var cells = line.Split(',');
            if (cells.Length <= Math.Max(ts, column) || cells[column].Trim().Length == 0)
            {
                continue;
            }

            if (!double.TryParse(cells[ts], NumberStyles.Float, CultureInfo.InvariantCulture, out var ns)
                || !double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var rssi))
            {
                onError(number, "ts and the rssi column must be numbers");
                continue;
            }

            var at = DateTimeOffset.UnixEpoch.AddTicks((long)(ns / 100));
            yield return new GatewaySighting(at, Math.Round(rssi, 2), identity, null);
        }
    }

    public static bool TryParseIdentity(string? text, out BeaconIdentity identity)
    {
        identity = default;
        var parts = (text ?? "").Split(':');
        if (parts.Length == 3 && Guid.TryParse(parts[0], out var uuid)
            && ushort.TryParse(parts[1], CultureInfo.InvariantCulture, out var major)
            && ushort.TryParse(parts[2], CultureInfo.InvariantCulture, out var minor))
        {
            identity = new BeaconIdentity(uuid, major, minor);
            return true;
        }

        return false;
    }

    private static bool TryRaw(string hex, DateTimeOffset at, double rssi, out GatewaySighting sighting, out string error)
    {
        sighting = default;
        if (!AdvertisementHex.TryReadAdStructures("rawData", hex, out var bytes, out var frame, out var reason))
        {
            error = reason;
            return false;
        }

        sighting = new GatewaySighting(at, rssi, frame?.Identity, frame is null ? bytes : null);
        error = "";
        return true;
    }

    private static bool TryReadTime(JsonElement root, out DateTimeOffset at, out string error)
    {
        at = default;
        error = "";
        if (!root.TryGetProperty("ts", out var ts))
        {
            error = "'ts' is required in a recording";
            return false;
        }

        if (ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var ms))
        {
            at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        if (ts.ValueKind == JsonValueKind.String && TryParseTime(ts.GetString()!, out at))
        {
            return true;
        }

        error = "'ts' must be Unix milliseconds or an ISO-8601 time";
        return false;
    }

    private static bool TryParseTime(string text, out DateTimeOffset at)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }
}
