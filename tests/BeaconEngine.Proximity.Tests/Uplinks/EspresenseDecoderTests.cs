using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Uplinks;

namespace BeaconEngine.Proximity.Tests.Uplinks;

public sealed class EspresenseDecoderTests
{
    // Firmware 2.x/3.x payload quoted in ESPresense/ESPresense issue #89 ("Distance reading confusing"); the maintainer
    // explains there that "raw" is the unfiltered distance and "distance" the OneEuro-filtered one. The topic follows
    // espresense.com/configuration/mqtt: espresense/devices/<id>/<room>.
    internal const string Issue89Topic = "espresense/devices/apple:iphone12-3/kitchen";

    internal const string Issue89Payload =
        """{"id":"apple:iphone12-3","name":"iPhone","disc":"341a3cf77222","rssi@1m":-65,"rssi":-65,"mac":"512ac8f9178d","raw":1,"distance":1.53,"speed":0}""";

    // Current firmware: the fields BleFingerprint::fill writes (ESPresense/ESPresense src/BleFingerprint.cpp: mac, id,
    // rssi@1m, rssi, rxAdj, rssiVar, distance, var, int) and the id format of fingerprintManufactureData
    // ("iBeacon:%s-%u-%u"). The beacon is the BlueCharm frame of ESPresense's own test/test_native_ibeacon/test_ibeacon.cpp
    // (UUID 426c7565-4368-6172-6d42-6561636f6e73, major 1, minor 2, measured power 0xC5 = -59).
    internal const string IBeaconTopic = "espresense/devices/iBeacon:426c7565-4368-6172-6d42-6561636f6e73-1-2/office";

    internal const string IBeaconPayload =
        """{"mac":"dd8800003777","id":"iBeacon:426c7565-4368-6172-6d42-6561636f6e73-1-2","rssi@1m":-59,"rssi":-81.10,"rxAdj":0,"rssiVar":7.42,"distance":6.58,"var":4.00,"int":2028}""";

    private static readonly BeaconIdentity BlueCharm = new(Guid.Parse("426c7565-4368-6172-6d42-6561636f6e73"), 1, 2);

    [Fact]
    public void Reads_a_device_message_and_takes_the_room_as_the_gateway()
    {
        var result = EspresenseDecoder.Decode(Issue89Topic, Issue89Payload);

        Assert.Empty(result.Errors);
        var sighting = Assert.Single(result.Sightings);
        Assert.Equal("kitchen", sighting.GatewayId);
        Assert.Equal("apple:iphone12-3", sighting.DeviceId);
        Assert.Equal("51:2A:C8:F9:17:8D", sighting.BeaconMac);
        Assert.Equal(-65, sighting.Rssi);
        Assert.Equal(-65, sighting.TxPower);
        Assert.Equal(1.53, sighting.DistanceMetres);
        Assert.Null(sighting.IBeacon);
        Assert.Null(sighting.Timestamp);
        Assert.Null(sighting.Advertisement);
    }

    [Fact]
    public void An_ibeacon_id_becomes_the_identity()
    {
        var sighting = Assert.Single(EspresenseDecoder.Decode(IBeaconTopic, IBeaconPayload).Sightings);

        Assert.Equal(BlueCharm, sighting.IBeacon);
        Assert.Equal("office", sighting.GatewayId);
        Assert.Equal(-81.10, sighting.Rssi);
        Assert.Equal(-59, sighting.TxPower);
        Assert.Equal(6.58, sighting.DistanceMetres);
    }

    [Fact]
    public void Major_and_minor_are_unsigned_decimals()
    {
        // The id format of the Home Assistant page of ESPresense/ESPresense.github.io (iBeacon:<uuid>-3-58241).
        var sighting = Assert.Single(EspresenseDecoder.Decode(
            "espresense/devices/iBeacon:e5ca1ade-f007-ba11-0000-000000000000-3-58241/hall",
            """{"rssi":-70}""").Sightings);

        Assert.Equal(new BeaconIdentity(Guid.Parse("e5ca1ade-f007-ba11-0000-000000000000"), 3, 58241), sighting.IBeacon);
    }

    [Fact]
    public void A_minimal_payload_is_enough()
    {
        var sighting = Assert.Single(EspresenseDecoder.Decode("espresense/devices/known:eeede852bd0b/room_1", """{"rssi":-37.1}""").Sightings);

        Assert.Equal("known:eeede852bd0b", sighting.DeviceId);
        Assert.Null(sighting.BeaconMac);
        Assert.Null(sighting.TxPower);
        Assert.Null(sighting.DistanceMetres);
    }

    [Fact]
    public void Utf8_bytes_decode_like_the_string()
    {
        var sighting = Assert.Single(EspresenseDecoder.Decode(IBeaconTopic, System.Text.Encoding.UTF8.GetBytes(IBeaconPayload)).Sightings);

        Assert.Equal(BlueCharm, sighting.IBeacon);
    }

    [Theory]
    [InlineData("espresense/rooms/kitchen/telemetry")]
    [InlineData("espresense/devices/apple:iphone12-3")]
    [InlineData("espresense/devices/apple:iphone12-3/kitchen/battery")]
    [InlineData("espresense/devices//kitchen")]
    [InlineData("espresense/devices/apple:iphone12-3/")]
    [InlineData("home/devices/apple:iphone12-3/kitchen")]
    [InlineData("ESPRESENSE/devices/apple:iphone12-3/kitchen")]
    [InlineData("")]
    [InlineData(null)]
    public void A_topic_of_another_shape_is_one_error(string? topic)
    {
        var result = EspresenseDecoder.Decode(topic, Issue89Payload);

        Assert.Empty(result.Sightings);
        var error = Assert.Single(result.Errors);
        Assert.Equal(UplinkError.WholePayload, error.Index);
        Assert.Contains("not an ESPresense device topic", error.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"rssi":-65""", "not valid JSON")]
    [InlineData("online", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("""[{"rssi":-65}]""", "must be a JSON object")]
    public void A_payload_that_is_not_a_json_object_is_one_error(string payload, string reason)
    {
        var error = Assert.Single(EspresenseDecoder.Decode(Issue89Topic, payload).Errors);

        Assert.Equal(UplinkError.WholePayload, error.Index);
        Assert.Contains(reason, error.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Issue89Topic, """{"id":"apple:iphone12-3","distance":1.53}""", "'rssi' is required")]
    [InlineData(Issue89Topic, """{"rssi":"-65"}""", "'rssi' must be a number")]
    [InlineData(Issue89Topic, """{"rssi":-65,"rssi@1m":-65.5}""", "'rssi@1m' must be a whole number")]
    [InlineData(Issue89Topic, """{"rssi":-65,"rssi@1m":58}""", "'rssi@1m' must be a whole number")]
    [InlineData(Issue89Topic, """{"rssi":-65,"distance":-1}""", "'distance' must be a number of metres")]
    [InlineData(Issue89Topic, """{"rssi":-65,"distance":"far"}""", "'distance' must be a number of metres")]
    [InlineData(Issue89Topic, """{"rssi":-65,"mac":"512ac8f9178"}""", "'mac' must be a MAC address")]
    [InlineData(Issue89Topic, """{"rssi":-65,"id":"apple:iphone13-2"}""", "differs from the id in the topic")]
    [InlineData(Issue89Topic, """{"rssi":-65,"id":42}""", "'id' must be a string")]
    [InlineData("espresense/devices/iBeacon:426c7565-4368-6172-6d42-6561636f6e73-1/office", """{"rssi":-65}""", "is not iBeacon:<uuid>-<major>-<minor>")]
    [InlineData("espresense/devices/iBeacon:426c7565-4368-6172-6d42-6561636f6e73-70000-2/office", """{"rssi":-65}""", "is not iBeacon:<uuid>-<major>-<minor>")]
    [InlineData("espresense/devices/iBeacon:426c7565436861726d426561636f6e73-1-2/office", """{"rssi":-65}""", "is not iBeacon:<uuid>-<major>-<minor>")]
    [InlineData("espresense/devices/iBeacon:426c7565-4368-6172-6d42-6561636f6e73-1--2/office", """{"rssi":-65}""", "is not iBeacon:<uuid>-<major>-<minor>")]
    public void A_wrong_field_is_an_error_on_the_message(string topic, string payload, string reason)
    {
        var result = EspresenseDecoder.Decode(topic, payload);

        Assert.Empty(result.Sightings);
        var error = Assert.Single(result.Errors);
        Assert.Equal(0, error.Index);
        Assert.Contains(reason, error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_fields_count_as_absent()
    {
        var sighting = Assert.Single(EspresenseDecoder.Decode(Issue89Topic, """{"rssi":-65,"rssi@1m":null,"mac":null,"distance":null}""").Sightings);

        Assert.Null(sighting.TxPower);
        Assert.Null(sighting.BeaconMac);
    }
}
