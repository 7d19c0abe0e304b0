using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Uplinks;

namespace BeaconEngine.Proximity.Tests.Uplinks;

public sealed class MinewJsonLongDecoderTests
{
    // A Minew G1 upload (JSON-LONG) captured in January 2022 and quoted verbatim as a fixture in a public GitHub
    // project (found through the code index, which did not record the repository). The gateway object comes first,
    // as reelyactive/barnowl-minew lib/jsonlongpacketdecoder.js expects; iBeacon items carry decoded fields, no rawData.
    internal const string G1Capture2022 =
        """[{"timestamp":"2022-01-20T13:22:49.434Z","type":"Gateway","mac":"AC233FC0BC43","gatewayFree":23,"gatewayLoad":1.3400000000000001},{"timestamp":"2022-01-20T13:22:49.519Z","type":"iBeacon","mac":"AC233F8C7CEE","bleName":"","ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":0,"ibeaconMinor":0,"rssi":-38,"ibeaconTxPower":-59,"battery":0},{"timestamp":"2022-01-20T13:22:49.431Z","type":"iBeacon","mac":"AC233FAA1AF3","bleName":"","ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":0,"ibeaconMinor":0,"rssi":-34,"ibeaconTxPower":-59,"battery":0}]""";

    // The first items of a G1 upload from September 2017, kept as a comment in a public PHP project (same index, no
    // repository recorded). That firmware sent no gateway object; "Unknown" devices carry rawData (AD structures).
    internal const string G1Capture2017 =
        """[{"timestamp":"2017-09-06T09:37:45Z","type":"Unknown","mac":"1918FC051F60","bleName":"","rssi":-72,"rawData":"1E168643BDBBBADEBABAA3A246BFA5DA813C95B29DA8AEE27FBA88454545BA"},{"timestamp":"2017-09-06T09:37:46Z","type":"iBeacon","mac":"1918FC051F5A","bleName":"","ibeaconUuid":"FDA50693A4E24FB1AFCFC6EB07647825","ibeaconMajor":10002,"ibeaconMinor":5208,"rssi":-67,"ibeaconTxPower":-59,"battery":0},{"timestamp":"2017-09-06T09:37:45Z","type":"Unknown","mac":"3535EDC935EE","bleName":"","rssi":-61,"rawData":"1EFF060001092000351A0F7A6A0A330B5CC7A2C1BE09A1C536C259B583CA30"},{"timestamp":"2017-09-06T09:37:45Z","type":"Unknown","mac":"C9F028FD8948","bleName":"mb_SIn9KPDJ","rssi":-53,"rawData":"0201060C096D625F53496E394B50444A"},{"timestamp":"2017-09-06T09:37:45Z","type":"Unknown","mac":"88C255A39FE7","bleName":"ziJiang printer","rssi":-61,"rawData":"10097A694A69616E67207072696E746572"}]""";

    // A G1 upload from August 2019 with a Minew S1 sensor, kept as a comment in a public Java project (same index). The
    // sensor item has no rawData at all, and the gateway also reports it as "Unknown" with "rawData":"".
    internal const string G1Capture2019WithSensor =
        """[{"timestamp":"2019-08-01T05:54:25Z","type":"Gateway","mac":"AC233FC001EA","gatewayFree":98,"gatewayLoad":0.05},{"timestamp":"2019-08-01T05:54:25Z","type":"Unknown","mac":"AC233FA03208","bleName":"","rssi":-79,"rawData":"0201060303E1FF0D16E1FFA10264000832A03F23AC"},{"timestamp":"2019-08-01T05:54:25Z","type":"S1","mac":"AC233FA018E3","bleName":"S1","rssi":-54,"battery":100,"temperature":26.69,"humidity":65.14},{"timestamp":"2019-08-01T05:54:25Z","type":"Unknown","mac":"AC233FA018E3","bleName":"","rssi":-53,"rawData":""}]""";

    // MG3 firmware that stamps items with Unix milliseconds, as in the MG3 fixtures of a public Go project (same
    // index); the rawData is a Minew info frame (service data 0xFFE1).
    internal const string Mg3MillisecondTimestamps =
        """[{"type":"Gateway","mac":"AC233FC00001","nums":2,"timestamp":1758600000000},{"mac":"AABBCCDDEEFF","rawData":"1016e1ffa101641c8a2f51000000000000","rssi":-62,"timestamp":1758600000000}]""";

    // Constructed: an MG3-style iBeacon item carrying both the decoded fields and rawData (barnowl-minew's JSON-LONG
    // decoder requires rawData on every device). Minew's default UUID, major 1, minor 2, measured power -59 (C5).
    internal const string IBeaconWithRawData =
        """[{"timestamp":"2024-03-01T08:00:00Z","type":"Gateway","mac":"AC233FC18BF0"},{"timestamp":"2024-03-01T08:00:00.250Z","type":"iBeacon","mac":"C3000025EF6A","bleName":"","ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":1,"ibeaconMinor":2,"rssi":-65,"ibeaconTxPower":-59,"battery":0,"rawData":"0201061AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E000010002C5"}]""";

    private static readonly Guid MinewDefaultUuid = Guid.Parse("e2c56db5-dffb-48d2-b060-d0f5a71096e0");

    [Fact]
    public void Reads_a_g1_upload_with_its_gateway_object()
    {
        var result = MinewJsonLongDecoder.Decode(G1Capture2022);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Sightings.Count);
        var first = result.Sightings[0];
        Assert.Equal("AC:23:3F:C0:BC:43", first.GatewayId);
        Assert.Equal("AC:23:3F:8C:7C:EE", first.BeaconMac);
        Assert.Equal(new DateTimeOffset(2022, 1, 20, 13, 22, 49, 519, TimeSpan.Zero), first.Timestamp);
        Assert.Equal(-38, first.Rssi);
        Assert.Equal(-59, first.TxPower);
        Assert.Equal(new BeaconIdentity(MinewDefaultUuid, 0, 0), first.IBeacon);
        Assert.Null(first.Advertisement);
        Assert.Null(first.DistanceMetres);
        Assert.Equal(-34, result.Sightings[1].Rssi);
    }

    [Fact]
    public void Reads_an_old_upload_without_a_gateway_object_and_keeps_the_raw_advertisements()
    {
        var result = MinewJsonLongDecoder.Decode(G1Capture2017);

        Assert.Empty(result.Errors);
        Assert.Equal(5, result.Sightings.Count);
        Assert.All(result.Sightings, s => Assert.Null(s.GatewayId));

        var beacon = result.Sightings[1];
        Assert.Equal(new BeaconIdentity(Guid.Parse("fda50693-a4e2-4fb1-afcf-c6eb07647825"), 10002, 5208), beacon.IBeacon);
        Assert.Equal(-59, beacon.TxPower);

        var printer = result.Sightings[4];
        Assert.Equal("88:C2:55:A3:9F:E7", printer.BeaconMac);
        Assert.Null(printer.IBeacon);
        Assert.Equal(Convert.FromHexString("10097A694A69616E67207072696E746572"), printer.Advertisement!.Value.ToArray());
    }

    [Fact]
    public void A_sensor_without_advertising_data_is_still_a_sighting_and_empty_raw_data_means_none()
    {
        var result = MinewJsonLongDecoder.Decode(G1Capture2019WithSensor);

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Sightings.Count);
        Assert.All(result.Sightings, s => Assert.Equal("AC:23:3F:C0:01:EA", s.GatewayId));
        Assert.NotNull(result.Sightings[0].Advertisement);
        Assert.Null(result.Sightings[1].Advertisement);
        Assert.Null(result.Sightings[2].Advertisement);
        Assert.All(result.Sightings, s => Assert.Null(s.IBeacon));
    }

    [Fact]
    public void Unix_millisecond_timestamps_are_read_as_such()
    {
        var result = MinewJsonLongDecoder.Decode(Mg3MillisecondTimestamps);

        var sighting = Assert.Single(result.Sightings);
        Assert.Empty(result.Errors);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1758600000000), sighting.Timestamp);
        Assert.Equal("AC:23:3F:C0:00:01", sighting.GatewayId);
    }

    [Theory]
    [InlineData("\"2022-01-20T13:22:49.434Z\"", "2022-01-20T13:22:49.434+00:00")]
    [InlineData("\"2022-01-20T15:22:49.434+02:00\"", "2022-01-20T13:22:49.434+00:00")]
    [InlineData("\"2022-01-20T13:22:49\"", "2022-01-20T13:22:49+00:00")]
    [InlineData("1642684969434", "2022-01-20T13:22:49.434+00:00")]
    public void Times_are_read_as_utc_whatever_their_form(string json, string expected)
    {
        var body = $$"""[{"mac":"AC233F8C7CEE","rssi":-38,"timestamp":{{json}}}]""";

        var sighting = Assert.Single(MinewJsonLongDecoder.Decode(body).Sightings);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), sighting.Timestamp);
        Assert.Equal(TimeSpan.Zero, sighting.Timestamp!.Value.Offset);
    }

    [Fact]
    public void Decoded_fields_and_a_raw_frame_that_agree_give_one_identity()
    {
        var result = MinewJsonLongDecoder.Decode(IBeaconWithRawData);

        var sighting = Assert.Single(result.Sightings);
        Assert.Equal(new BeaconIdentity(MinewDefaultUuid, 1, 2), sighting.IBeacon);
        Assert.Equal(30, sighting.Advertisement!.Value.Length);
    }

    [Fact]
    public void An_identity_is_read_from_raw_data_alone()
    {
        var body = """[{"type":"iBeacon","mac":"C3000025EF6A","rssi":-65,"rawData":"0201061AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E000010002C5"}]""";

        var sighting = Assert.Single(MinewJsonLongDecoder.Decode(body).Sightings);

        Assert.Equal(new BeaconIdentity(MinewDefaultUuid, 1, 2), sighting.IBeacon);
        Assert.Equal(-59, sighting.TxPower);
        Assert.Null(sighting.Timestamp);
    }

    [Theory]
    [InlineData("""[{"timestamp":"2022-01-20T13:22:49.434Z","type":"Gateway","mac":"AC233FC0BC43"}""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("\u00ff\u00fe", "not valid JSON")]
    [InlineData("""{"type":"Gateway","mac":"AC233FC0BC43"}""", "JSON array")]
    [InlineData("\"AC233FC0BC43\"", "JSON array")]
    public void A_body_that_is_not_a_json_array_is_one_error(string body, string reason)
    {
        var result = MinewJsonLongDecoder.Decode(body);

        Assert.Empty(result.Sightings);
        var error = Assert.Single(result.Errors);
        Assert.Equal(UplinkError.WholePayload, error.Index);
        Assert.Contains(reason, error.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""42""", "must be a JSON object")]
    [InlineData("""{"type":"iBeacon","mac":"AC233F8C7CEE"}""", "'rssi' is required")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":"-38"}""", "'rssi' must be a number")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":38.5}""", "'rssi' must be a number")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-200}""", "'rssi' must be a number")]
    [InlineData("""{"rssi":-38}""", "'mac' is required")]
    [InlineData("""{"mac":"AC233F8C7CE","rssi":-38}""", "'mac' is required")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"type":7}""", "'type' must be a string")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"timestamp":"yesterday"}""", "'timestamp' must be an ISO-8601 time")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"timestamp":-5}""", "'timestamp' must be an ISO-8601 time")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"rawData":"0201061AFF4C00021"}""", "odd number of digits")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"rawData":"ZZ01061AFF4C000215"}""", "not valid hex")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"rawData":42}""", "'rawData' must be a string")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"rawData":"0201061AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E00001"}""", "not a well-formed advertisement")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0"}""", "'ibeaconMajor' must be a whole number")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":70000,"ibeaconMinor":0}""", "'ibeaconMajor' must be a whole number")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":0,"ibeaconMinor":-1}""", "'ibeaconMinor' must be a whole number")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"ibeaconUuid":"not-a-uuid","ibeaconMajor":0,"ibeaconMinor":0}""", "'ibeaconUuid' must be a UUID")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":0,"ibeaconMinor":0,"ibeaconTxPower":100}""", "'ibeaconTxPower' must be a whole number of dBm")]
    [InlineData("""{"type":"iBeacon","mac":"AC233F8C7CEE","rssi":-38}""", "neither ibeaconUuid")]
    [InlineData("""{"type":"iBeacon","mac":"AC233F8C7CEE","rssi":-38,"rawData":"0201060C096D625F53496E394B50444A"}""", "neither ibeaconUuid")]
    [InlineData("""{"mac":"AC233F8C7CEE","rssi":-38,"ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":9,"ibeaconMinor":9,"rawData":"0201061AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E000010002C5"}""", "disagree")]
    public void A_broken_item_is_rejected_with_its_index_while_the_others_come_through(string brokenItem, string reason)
    {
        var body = $$"""[{"type":"Gateway","mac":"AC233FC0BC43"},{{brokenItem}},{"type":"iBeacon","mac":"AC233FAA1AF3","ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":0,"ibeaconMinor":0,"rssi":-34}]""";

        var result = MinewJsonLongDecoder.Decode(body);

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Index);
        Assert.Contains(reason, error.Error, StringComparison.Ordinal);
        var good = Assert.Single(result.Sightings);
        Assert.Equal("AC:23:3F:AA:1A:F3", good.BeaconMac);
        Assert.Equal("AC:23:3F:C0:BC:43", good.GatewayId);
    }

    [Fact]
    public void A_gateway_object_with_a_bad_mac_is_an_error_and_leaves_the_gateway_unknown()
    {
        var body = """[{"type":"Gateway","mac":"gateway-1"},{"mac":"AC233FAA1AF3","rssi":-34}]""";

        var result = MinewJsonLongDecoder.Decode(body);

        var error = Assert.Single(result.Errors);
        Assert.Equal(0, error.Index);
        Assert.Contains("'Gateway' object's 'mac'", error.Error, StringComparison.Ordinal);
        Assert.Null(Assert.Single(result.Sightings).GatewayId);
    }

    [Fact]
    public void A_second_gateway_naming_another_mac_is_rejected_and_the_first_one_counts()
    {
        var body = """[{"mac":"AC233FAA1AF3","rssi":-34},{"type":"Gateway","mac":"AC233FC0BC43"},{"type":"Gateway","mac":"AC:23:3F:C0:BC:43"},{"type":"Gateway","mac":"AC233FC00001"}]""";

        var result = MinewJsonLongDecoder.Decode(body);

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Index);
        Assert.Contains("another gateway", error.Error, StringComparison.Ordinal);
        Assert.Equal("AC:23:3F:C0:BC:43", Assert.Single(result.Sightings).GatewayId);
    }

    [Fact]
    public void Errors_are_listed_in_item_order()
    {
        var body = """[{"mac":"x","rssi":-34},{"type":"Gateway","mac":"bad"},{"rssi":1}]""";

        var result = MinewJsonLongDecoder.Decode(body);

        Assert.Equal([0, 1, 2], result.Errors.Select(e => e.Index));
    }

    [Fact]
    public void An_empty_array_or_a_gateway_alone_yields_nothing_and_no_error()
    {
        Assert.Equal((0, 0), Count(MinewJsonLongDecoder.Decode("[]")));
        Assert.Equal((0, 0), Count(MinewJsonLongDecoder.Decode("""[{"type":"Gateway","mac":"AC233FC0BC43","gatewayFree":23}]""")));
    }

    [Fact]
    public void A_body_over_the_item_limit_is_refused_whole()
    {
        var item = """{"mac":"AC233FAA1AF3","rssi":-34}""";
        var body = "[" + string.Join(',', Enumerable.Repeat(item, UplinkLimits.MaxItems + 1)) + "]";

        var result = MinewJsonLongDecoder.Decode(body);

        Assert.Empty(result.Sightings);
        Assert.Equal(UplinkError.WholePayload, Assert.Single(result.Errors).Index);
    }

    [Fact]
    public void Utf8_bytes_decode_like_the_string()
    {
        var fromBytes = MinewJsonLongDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(G1Capture2022));

        Assert.Equal(MinewJsonLongDecoder.Decode(G1Capture2022).Sightings, fromBytes.Sightings);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0x5C, 0x75, 0x44, 0x38, 0x30, 0x30 })] // the escape \uD800, a lone surrogate
    public void Text_that_is_not_valid_unicode_is_an_error_not_an_exception(byte[] bad)
    {
        byte[] body = [.. "[{\"type\":\""u8, .. bad, .. "\",\"mac\":\"AC233FAA1AF3\",\"rssi\":-34}]"u8];

        var result = MinewJsonLongDecoder.Decode(body);

        Assert.Empty(result.Sightings);
        Assert.Contains("Unicode", Assert.Single(result.Errors).Error, StringComparison.Ordinal);
    }

    private static (int Sightings, int Errors) Count(UplinkDecodeResult result) => (result.Sightings.Count, result.Errors.Count);
}
