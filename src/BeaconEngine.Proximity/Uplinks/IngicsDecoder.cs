using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Decodes the text reports of Ingics iGS gateways (iGS01S, iGS02E, iGS03): one report per line,
/// <c>$&lt;type&gt;,&lt;tag id&gt;,&lt;gateway mac&gt;,&lt;rssi&gt;,&lt;raw packet hex&gt;[,&lt;unix seconds&gt;]</c>,
/// several lines per POST or MQTT message. See <c>docs/gateway-formats.md</c>.
/// </summary>
public static class IngicsDecoder
{
    /// <summary>Report types that carry one received BLE packet: BLE 4.2 advertising and scan response, BLE 5 long range and 1M PHY.</summary>
    private static readonly HashSet<string> PacketReports = new(StringComparer.Ordinal) { "GPRP", "RSPR", "LRAD", "LRSR", "1MAD", "1MSR" };

    /// <summary>Heartbeats and GNSS fixes are legitimate gateway traffic but not sightings; they are passed over without an error.</summary>
    private static readonly HashSet<string> OtherReports = new(StringComparer.Ordinal) { "HBRP", "GPSR" };

    private const int FieldsWithoutTime = 5;
    private const int FieldsWithTime = 6;

    /// <inheritdoc cref="Decode(string)"/>
    public static UplinkDecodeResult Decode(ReadOnlySpan<byte> utf8Body) => Decode(Encoding.UTF8.GetString(utf8Body));

    /// <summary>Each packet report becomes a sighting or an error at its zero-based line index; blank lines are skipped.</summary>
    public static UplinkDecodeResult Decode(string? body)
    {
        var text = (body ?? string.Empty).AsSpan();
        var reports = 0;
        foreach (var line in text.EnumerateLines())
        {
            if (!line.IsWhiteSpace())
            {
                reports++;
            }
        }

        if (reports > UplinkLimits.MaxItems)
        {
            return UplinkDecodeResult.Rejected($"the body has {reports} reports; at most {UplinkLimits.MaxItems} are allowed, so shorten the gateway's upload interval");
        }

        var sightings = new List<UplinkSighting>();
        var errors = new List<UplinkError>();
        var index = 0;
        foreach (var raw in text.EnumerateLines())
        {
            var i = index++;
            var line = raw.Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            switch (ReadLine(line.ToString(), out var sighting, out var error))
            {
                case LineResult.Sighting:
                    sightings.Add(sighting with { Index = i });
                    break;
                case LineResult.Error:
                    errors.Add(new UplinkError(i, error!));
                    break;
            }
        }

        return new UplinkDecodeResult(sightings, errors);
    }

    private static LineResult ReadLine(string line, out UplinkSighting sighting, out string? error)
    {
        sighting = default;
        var fields = line.Split(',');
        if (fields[0].Length < 2 || fields[0][0] != '$')
        {
            error = "a report must start with '$' and its type, e.g. $GPRP";
            return LineResult.Error;
        }

        var type = fields[0][1..];
        if (OtherReports.Contains(type))
        {
            error = null;
            return LineResult.Skipped;
        }

        if (!PacketReports.Contains(type))
        {
            error = $"'${UplinkText.Abbreviate(type)}' is not a report type we read ($GPRP, $RSPR, $LRAD, $LRSR, $1MAD, $1MSR; $HBRP and $GPSR are skipped)";
            return LineResult.Error;
        }

        return TryReadPacket(type, fields, out sighting, out error) ? LineResult.Sighting : LineResult.Error;
    }

    private static bool TryReadPacket(string type, string[] fields, out UplinkSighting sighting, [NotNullWhen(false)] out string? error)
    {
        sighting = default;
        if (fields.Length is not (FieldsWithoutTime or FieldsWithTime))
        {
            error = $"a ${type} report has 5 or 6 comma-separated fields (type, tag id, gateway id, rssi, raw packet[, unix time]); this one has {fields.Length}";
            return false;
        }

        // The manual says "MAC address or ID of tag/beacon": a MAC is kept as such, anything else as the device id.
        var tag = fields[1].Trim();
        string? beaconMac = null;
        string? deviceId = null;
        if (MacAddress.TryNormalize(tag, out var mac))
        {
            beaconMac = mac;
        }
        else if (tag.Length is 0 or > UplinkLimits.MaxNameLength)
        {
            error = $"the tag id must be a MAC address or an id of 1 to {UplinkLimits.MaxNameLength} characters";
            return false;
        }
        else
        {
            deviceId = tag;
        }

        if (!MacAddress.TryNormalize(fields[2], out var gateway))
        {
            error = "the gateway id must be the gateway's MAC address (12 hex digits)";
            return false;
        }

        if (!int.TryParse(fields[3].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rssi)
            || rssi is < UplinkLimits.MinDbm or > UplinkLimits.MaxDbm)
        {
            error = $"the rssi must be a whole number of dBm from {UplinkLimits.MinDbm} to {UplinkLimits.MaxDbm}";
            return false;
        }

        if (!AdvertisementHex.TryReadAdStructures("raw packet", fields[4].Trim(), out var advertisement, out var frame, out error))
        {
            return false;
        }

        DateTimeOffset? timestamp = null;
        if (fields.Length == FieldsWithTime)
        {
            // The manual's general format writes the optional time as "*<unix epoch timestamp>"; its examples omit the '*'.
            var time = fields[5].Trim().TrimStart('*');
            if (!long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || !UplinkTime.TryFromUnixSeconds(seconds, out var at))
            {
                error = "the timestamp must be whole Unix seconds (1970 to 9999)";
                return false;
            }

            timestamp = at;
        }

        sighting = new UplinkSighting(gateway, beaconMac, timestamp, rssi, frame?.MeasuredPower, advertisement, frame?.Identity, deviceId, DistanceMetres: null);
        error = null;
        return true;
    }

    private enum LineResult
    {
        Sighting,
        Skipped,
        Error,
    }
}
