using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Uplinks;

namespace BeaconEngine.Proximity.Tests.Uplinks;

public sealed class IngicsDecoderTests
{
    // The four example reports of the Ingics iGS03 user manual, "Payload Format" (page 6, manualshive.com/manual/ingics/igs03m).
    // The PDF wraps the second timestamp over two lines ("157" / "4921085"); it is one field. The last line is the
    // manual's iBeacon example (UUID B9A5D27D56CC4E3AAB511F2153BCB967, major 0001, minor 452E) and has no timestamp.
    internal const string Igs03ManualExamples =
        "$GPRP,CCB97E7361A4,CB412F0C8EDC,-49,1309696773206D65736820233220285445535429020106,1574921085\r\n"
        + "$GPRP,E5A706E3923A,CB412F0C8EDC,-87,0201041AFF590002150112233445566778899AABBCCDDEEFF0000100C3BB,1574921085\r\n"
        + "$LRAD,51A88AD374B7,CC4B73906F96,-87,02010212FF0D0083BC280100AAAAFFFF000010030000,1574921085\r\n"
        + "$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,0201061AFF4C000215B9A5D27D56CC4E3AAB511F2153BCB9670001452ED6\r\n";

    // A heartbeat, as beaconzone.co.uk shows it for iGS01S/iGS02E firmware v2.0.0 ("Bluetooth Gateway Heartbeats").
    internal const string Heartbeat = "$HBRP,FECE97089146,FECE97089146,-127,00000000";

    [Fact]
    public void Reads_the_manual_examples()
    {
        var result = IngicsDecoder.Decode(Igs03ManualExamples);

        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Sightings.Count);

        var named = result.Sightings[0];
        Assert.Equal("CB:41:2F:0C:8E:DC", named.GatewayId);
        Assert.Equal("CC:B9:7E:73:61:A4", named.BeaconMac);
        Assert.Equal(-49, named.Rssi);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1574921085), named.Timestamp);
        Assert.Null(named.IBeacon);
        Assert.Equal(23, named.Advertisement!.Value.Length);

        // Company 0x0059 (Nordic) in an iBeacon-shaped frame: only Apple's company id makes an iBeacon.
        Assert.Null(result.Sightings[1].IBeacon);
        Assert.Equal("CC:4B:73:90:6F:96", result.Sightings[2].GatewayId);

        var beacon = result.Sightings[3];
        Assert.Equal(new BeaconIdentity(Guid.Parse("b9a5d27d-56cc-4e3a-ab51-1f2153bcb967"), 1, 0x452E), beacon.IBeacon);
        Assert.Equal(-42, beacon.TxPower);
        Assert.Null(beacon.Timestamp);
        Assert.Equal("E7:DA:E0:8E:6F:C3", beacon.GatewayId);
    }

    [Fact]
    public void Scan_responses_and_the_other_packet_reports_are_read_too()
    {
        var body = string.Join('\n', new[] { "RSPR", "LRSR", "1MAD", "1MSR" }.Select(t => $"${t},0C61CFC1452E,E7DAE08E6FC3,-60,02010612FF0D0083BC280100AAAAFFFF000010030000"));

        var result = IngicsDecoder.Decode(body);

        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Sightings.Count);
    }

    [Fact]
    public void Heartbeats_gnss_reports_and_blank_lines_are_passed_over_without_error()
    {
        var body = Heartbeat + "\n\n   \n$GPSR,CB412F0C8EDC,CB412F0C8EDC,-127,191128,061445.00,2502.5,12133.1,0.1,1.2\n"
            + "$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,0201061AFF4C000215B9A5D27D56CC4E3AAB511F2153BCB9670001452ED6";

        var result = IngicsDecoder.Decode(body);

        Assert.Empty(result.Errors);
        Assert.Single(result.Sightings);
    }

    [Fact]
    public void The_starred_timestamp_of_the_manuals_general_format_is_accepted()
    {
        var sighting = Assert.Single(IngicsDecoder.Decode("$GPRP,CCB97E7361A4,CB412F0C8EDC,-49,0201060C096D625F53496E394B50444A,*1574921085").Sightings);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1574921085), sighting.Timestamp);
    }

    [Fact]
    public void A_tag_id_that_is_not_a_mac_is_kept_as_the_device_id()
    {
        var sighting = Assert.Single(IngicsDecoder.Decode("$GPRP,TAG-0042,CB412F0C8EDC,-49,0201060C096D625F53496E394B50444A").Sightings);

        Assert.Null(sighting.BeaconMac);
        Assert.Equal("TAG-0042", sighting.DeviceId);
    }

    [Theory]
    [InlineData("GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,020106", "must start with '$'")]
    [InlineData("$", "must start with '$'")]
    [InlineData("$ABCD,0C61CFC1452E,E7DAE08E6FC3,-44,020106", "not a report type we read")]
    [InlineData("$gprp,0C61CFC1452E,E7DAE08E6FC3,-44,020106", "not a report type we read")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44", "5 or 6 comma-separated fields")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,020106,1574921085,extra", "5 or 6 comma-separated fields")]
    [InlineData("$GPRP,,E7DAE08E6FC3,-44,020106", "tag id")]
    [InlineData("$GPRP,0C61CFC1452E,gateway,-44,020106", "gateway id must be the gateway's MAC")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,strong,020106", "rssi must be a whole number")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44.5,020106", "rssi must be a whole number")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-200,020106", "rssi must be a whole number")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,99,020106", "rssi must be a whole number")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,", "hex string is empty")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,02010", "odd number of digits")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,0201XY", "not valid hex")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,0201061AFF4C000215B9A5D27D", "not a well-formed advertisement")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,020106,yesterday", "whole Unix seconds")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,020106,1574921085000", "whole Unix seconds")]
    [InlineData("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,020106,-1574921085", "whole Unix seconds")]
    public void A_broken_line_is_rejected_with_its_index_while_the_others_come_through(string brokenLine, string reason)
    {
        var body = Heartbeat + "\r\n" + brokenLine + "\r\n$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,0201061AFF4C000215B9A5D27D56CC4E3AAB511F2153BCB9670001452ED6\r\n";

        var result = IngicsDecoder.Decode(body);

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Index);
        Assert.Contains(reason, error.Error, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(result.Sightings).IBeacon);
    }

    [Fact]
    public void A_body_over_the_report_limit_is_refused_whole()
    {
        var body = string.Join('\n', Enumerable.Repeat("$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,020106", UplinkLimits.MaxItems + 1));

        var result = IngicsDecoder.Decode(body);

        Assert.Empty(result.Sightings);
        Assert.Equal(UplinkError.WholePayload, Assert.Single(result.Errors).Index);
    }

    [Fact]
    public void Empty_or_null_bodies_yield_nothing()
    {
        Assert.Empty(IngicsDecoder.Decode((string?)null).Sightings);
        Assert.Empty(IngicsDecoder.Decode("").Errors);
        Assert.Empty(IngicsDecoder.Decode(ReadOnlySpan<byte>.Empty).Sightings);
    }

    [Fact]
    public void Utf8_bytes_decode_like_the_string()
    {
        var fromBytes = IngicsDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(Igs03ManualExamples));

        Assert.Equal(4, fromBytes.Sightings.Count);
        Assert.Equal(
            IngicsDecoder.Decode(Igs03ManualExamples).Sightings.Select(s => s.IBeacon),
            fromBytes.Sightings.Select(s => s.IBeacon));
    }
}
