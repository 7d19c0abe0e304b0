namespace BeaconEngine.Gateway.Sources;

/// <summary>
/// Reads the advertising reports out of HCI event packets as a BlueZ raw HCI socket delivers them: packet type 0x04
/// (event), event code 0x3E (LE Meta), then the subevent: 0x02 LE Advertising Report or 0x0D LE Extended
/// Advertising Report (Core Specification 5.x, Vol 4, Part E, 7.7.65.2 and 7.7.65.13). Any other packet yields
/// nothing; a truncated or inconsistent packet yields nothing and a reason. Never throws.
/// </summary>
public static class HciEventParser
{
    public const byte EventPacket = 0x04;
    public const byte LeMetaEvent = 0x3E;
    public const byte LeAdvertisingReport = 0x02;
    public const byte LeExtendedAdvertisingReport = 0x0D;

    /// <summary>RSSI 127 means "not available" in both report kinds.</summary>
    private const sbyte RssiUnavailable = 127;

    /// <summary>Adds the packet's usable reports to <paramref name="reports"/>; the reason when the packet is broken.</summary>
    public static string? Parse(ReadOnlySpan<byte> packet, List<HciAdvertisingReport> reports)
    {
        if (packet.Length < 3 || packet[0] != EventPacket || packet[1] != LeMetaEvent)
        {
            return null;
        }

        var parameters = packet[3..];
        if (parameters.Length != packet[2])
        {
            return $"the event says {packet[2]} parameter bytes but carries {parameters.Length}";
        }

        if (parameters.Length < 2)
        {
            return "an LE Meta event without a subevent and report count";
        }

        return parameters[0] switch
        {
            LeAdvertisingReport => ParseLegacy(parameters[1..], reports),
            LeExtendedAdvertisingReport => ParseExtended(parameters[1..], reports),
            _ => null,
        };
    }

    /// <summary>
    /// Num_Reports, then per report: Event_Type, Address_Type, Address (6), Data_Length, Data, RSSI. Controllers send
    /// one report per event in practice; several are read one after the other, as BlueZ does.
    /// </summary>
    private static string? ParseLegacy(ReadOnlySpan<byte> body, List<HciAdvertisingReport> reports)
    {
        int count = body[0];
        var at = 1;
        var found = new List<HciAdvertisingReport>(count);
        for (var i = 0; i < count; i++)
        {
            if (body.Length < at + 9)
            {
                return $"report {i} is truncated";
            }

            int type = body[at];
            int addressType = body[at + 1];
            var address = Address(body.Slice(at + 2, 6));
            int length = body[at + 8];
            if (length > 31 || body.Length < at + 9 + length + 1)
            {
                return $"report {i} claims {length} data bytes, more than it carries (31 at most)";
            }

            var data = body.Slice(at + 9, length).ToArray();
            var rssi = (sbyte)body[at + 9 + length];
            at += 9 + length + 1;
            if (rssi != RssiUnavailable)
            {
                found.Add(new HciAdvertisingReport(type, addressType, address, rssi, data));
            }
        }

        if (at != body.Length)
        {
            return $"{body.Length - at} bytes follow the last report";
        }

        reports.AddRange(found);
        return null;
    }

    /// <summary>
    /// Num_Reports, then per report: Event_Type (2), Address_Type, Address (6), Primary_PHY, Secondary_PHY,
    /// Advertising_SID, TX_Power, RSSI, Periodic_Advertising_Interval (2), Direct_Address_Type, Direct_Address (6),
    /// Data_Length, Data.
    /// </summary>
    private static string? ParseExtended(ReadOnlySpan<byte> body, List<HciAdvertisingReport> reports)
    {
        const int fixedLength = 24;
        int count = body[0];
        var at = 1;
        var found = new List<HciAdvertisingReport>(count);
        for (var i = 0; i < count; i++)
        {
            if (body.Length < at + fixedLength)
            {
                return $"report {i} is truncated";
            }

            var type = body[at] | (body[at + 1] << 8);
            int addressType = body[at + 2];
            var address = Address(body.Slice(at + 3, 6));
            var rssi = (sbyte)body[at + 13];
            int length = body[at + 23];
            if (body.Length < at + fixedLength + length)
            {
                return $"report {i} claims {length} data bytes, more than it carries";
            }

            var data = body.Slice(at + fixedLength, length).ToArray();
            at += fixedLength + length;

            // Bits 5-6 of the event type: 0b01 means more data follows in another report; only complete data is used.
            var incomplete = ((type >> 5) & 0b11) != 0;
            if (rssi != RssiUnavailable && !incomplete)
            {
                found.Add(new HciAdvertisingReport(type, addressType, address, rssi, data));
            }
        }

        if (at != body.Length)
        {
            return $"{body.Length - at} bytes follow the last report";
        }

        reports.AddRange(found);
        return null;
    }

    private static string Address(ReadOnlySpan<byte> littleEndian) =>
        string.Create(17, littleEndian.ToArray(), static (chars, bytes) =>
        {
            const string hex = "0123456789ABCDEF";
            for (var i = 0; i < 6; i++)
            {
                var b = bytes[5 - i];
                chars[i * 3] = hex[b >> 4];
                chars[(i * 3) + 1] = hex[b & 0xF];
                if (i < 5)
                {
                    chars[(i * 3) + 2] = ':';
                }
            }
        });
}
