using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Uplinks;

namespace BeaconEngine.Proximity.Tests.Uplinks;

public sealed class OpenMqttGatewayDecoderTests
{
    // 1technophile/OpenMQTTGateway docs/use/ble.md, "Receiving signals from BLE beacon devices for Presence detection".
    internal const string PresenceTopic = "home/OpenMQTTGateway/BTtoMQTT/45E174126E00";

    internal const string PresencePayload = """{"id":"45:e1:74:12:6e:00","rssi":-89,"distance":21.51847,"servicedata":"fe0000000000000000000000000000000000000000"}""";

    // Same page, "Setting if the gateway uses iBeacon UUID as topic": an iBeacon decoded by the Theengs decoder,
    // first on its MAC topic, then with pubBeaconUuidForTopic on its UUID topic.
    internal const string IBeaconTopic = "home/OpenMQTTGateway/BTtoMQTT/58782076BC24";

    internal const string IBeaconPayload =
        """{"id":"58:78:20:76:BC:24","mac_type":1,"rssi":-79,"brand":"GENERIC","model":"iBeacon","model_id":"IBEACON","mfid":"4c00","uuid":"1de4b189115e45f6b44e509352269977","major":0,"minor":0,"txpower":-66}""";

    internal const string UuidTopic = "home/OpenMQTTGateway/BTtoMQTT/1de4b189115e45f6b44e509352269977";

    internal const string UuidTopicPayload =
        """{"id":"7B:63:C6:82:DC:57","mac_type":1,"rssi":-83,"brand":"GENERIC","model":"iBeacon","model_id":"IBEACON","mfid":"4c00","uuid":"1de4b189115e45f6b44e509352269977","major":0,"minor":0,"txpower":-66}""";

    // Same page, presenceUseBeaconUuid: the id becomes the UUID and the MAC moves to "mac".
    internal const string UuidIdPayload =
        """{"id":"1de4b189115e45f6b44e509352269977","mac_type":1,"rssi":-78,"distance":7.85288,"brand":"GENERIC","model":"iBeacon","model_id":"IBEACON","mfid":"4c00","uuid":"1de4b189115e45f6b44e509352269977","major":0,"minor":0,"txpower":-66,"mac":"60:87:57:4C:9B:C2"}""";

    // theengs/decoder tests/BLE/test_ble.cpp: input manufacturer data of test_mfgdata "iBeacon"/"BlueCharm_135727" and
    // its expected_mfg output (uuid 426c7565436861726d426561636f6e73, major 3838, minor 4949, txpower -59), published
    // by Theengs Gateway with the advertisement data switched on.
    internal const string TheengsTopic = "home/TheengsGateway/BTtoMQTT/DD3402055C4D";

    internal const string TheengsPayload =
        """{"id":"DD:34:02:05:5C:4D","rssi":-71,"manufacturerdata":"4c000215426c7565436861726d426561636f6e730efe1355c5","brand":"GENERIC","model":"iBeacon","model_id":"IBEACON","type":"BCON","mfid":"4c00","uuid":"426c7565436861726d426561636f6e73","major":3838,"minor":4949,"txpower":-59}""";

    private static readonly BeaconIdentity DocsBeacon = new(Guid.Parse("1de4b189-115e-45f6-b44e-509352269977"), 0, 0);
    private static readonly BeaconIdentity BlueCharm = new(Guid.Parse("426c7565-4368-6172-6d42-6561636f6e73"), 3838, 4949);

    [Fact]
    public void Reads_a_presence_message_and_takes_the_segment_before_bttomqtt_as_the_gateway()
    {
        var result = OpenMqttGatewayDecoder.Decode(PresenceTopic, PresencePayload);

        Assert.Empty(result.Errors);
        var sighting = Assert.Single(result.Sightings);
        Assert.Equal("OpenMQTTGateway", sighting.GatewayId);
        Assert.Equal("45:E1:74:12:6E:00", sighting.BeaconMac);
        Assert.Equal(-89, sighting.Rssi);
        Assert.Equal(21.51847, sighting.DistanceMetres);
        Assert.Null(sighting.IBeacon);
        Assert.Null(sighting.TxPower);
        Assert.Null(sighting.Advertisement);
        Assert.Null(sighting.Timestamp);
    }

    [Fact]
    public void Reads_an_ibeacon_decoded_by_theengs()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode(IBeaconTopic, IBeaconPayload).Sightings);

        Assert.Equal(DocsBeacon, sighting.IBeacon);
        Assert.Equal(-66, sighting.TxPower);
        Assert.Equal("58:78:20:76:BC:24", sighting.BeaconMac);
    }

    [Fact]
    public void On_a_uuid_topic_the_mac_comes_from_the_id()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode(UuidTopic, UuidTopicPayload).Sightings);

        Assert.Equal("7B:63:C6:82:DC:57", sighting.BeaconMac);
        Assert.Equal(DocsBeacon, sighting.IBeacon);
    }

    [Fact]
    public void On_a_single_topic_a_uuid_id_leaves_the_mac_to_the_mac_field()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode("home/OpenMQTTGateway/BTtoMQTT", UuidIdPayload).Sightings);

        Assert.Equal("60:87:57:4C:9B:C2", sighting.BeaconMac);
        Assert.Equal(DocsBeacon, sighting.IBeacon);
        Assert.Equal(7.85288, sighting.DistanceMetres);
    }

    [Fact]
    public void On_a_single_topic_a_mac_id_is_the_mac()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode("home/gw-entrance/BTtoMQTT", """{"id":"45:e1:74:12:6e:00","rssi":-60}""").Sightings);

        Assert.Equal("gw-entrance", sighting.GatewayId);
        Assert.Equal("45:E1:74:12:6E:00", sighting.BeaconMac);
    }

    [Fact]
    public void The_base_topic_is_configurable()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode("stores/s1/omg-aisle-3/BTtoMQTT/45E174126E00", PresencePayload).Sightings);

        Assert.Equal("omg-aisle-3", sighting.GatewayId);
    }

    [Fact]
    public void Decoded_fields_and_manufacturer_data_that_agree_give_one_identity()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode(TheengsTopic, TheengsPayload).Sightings);

        Assert.Equal(BlueCharm, sighting.IBeacon);
        Assert.Equal(-59, sighting.TxPower);
        Assert.Equal("TheengsGateway", sighting.GatewayId);
    }

    [Fact]
    public void Manufacturer_data_alone_is_decoded_when_the_gateway_did_not()
    {
        var payload = """{"id":"DD:34:02:05:5C:4D","rssi":-71,"manufacturerdata":"4c000215426c7565436861726d426561636f6e730efe1355c5"}""";

        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode(TheengsTopic, payload).Sightings);

        Assert.Equal(BlueCharm, sighting.IBeacon);
        Assert.Equal(-59, sighting.TxPower);
    }

    [Fact]
    public void Older_theengs_releases_name_the_power_field_power()
    {
        var payload = """{"id":"DD:34:02:05:5C:4D","rssi":-71,"model_id":"IBEACON","uuid":"426c7565436861726d426561636f6e73","major":3838,"minor":4949,"power":-59}""";

        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode(TheengsTopic, payload).Sightings);

        Assert.Equal(-59, sighting.TxPower);
    }

    [Fact]
    public void The_advertised_tx_level_of_other_devices_is_not_taken_for_the_power_at_one_metre()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode("home/OpenMQTTGateway/BTtoMQTT/45F68A7686C5", """{"id":"45:F6:8A:76:86:C5","rssi":-55,"txpower":12,"distance":0.495572}""").Sightings);

        Assert.Null(sighting.TxPower);
    }

    [Fact]
    public void Other_apple_manufacturer_data_is_not_an_ibeacon_and_not_an_error()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode(PresenceTopic, """{"id":"45:e1:74:12:6e:00","rssi":-70,"manufacturerdata":"4c0010050b1c5d3a21"}""").Sightings);

        Assert.Null(sighting.IBeacon);
    }

    [Theory]
    [InlineData("home/OpenMQTTGateway/SYStoMQTT")]
    [InlineData("BTtoMQTT/45E174126E00")]
    [InlineData("/BTtoMQTT/45E174126E00")]
    [InlineData("home/OpenMQTTGateway/BTtoMQTT/45E174126E00/extra")]
    [InlineData("home/OpenMQTTGateway/BTtoMQTT/")]
    [InlineData("home/OpenMQTTGateway/bttomqtt/45E174126E00")]
    [InlineData("")]
    [InlineData(null)]
    public void A_topic_of_another_shape_is_one_error(string? topic)
    {
        var result = OpenMqttGatewayDecoder.Decode(topic, PresencePayload);

        Assert.Empty(result.Sightings);
        var error = Assert.Single(result.Errors);
        Assert.Equal(UplinkError.WholePayload, error.Index);
        Assert.Contains("not an OpenMQTTGateway BLE topic", error.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89""", "not valid JSON")]
    [InlineData("online", "not valid JSON")]
    [InlineData("-89", "must be a JSON object")]
    public void A_payload_that_is_not_a_json_object_is_one_error(string payload, string reason)
    {
        var error = Assert.Single(OpenMqttGatewayDecoder.Decode(PresenceTopic, payload).Errors);

        Assert.Equal(UplinkError.WholePayload, error.Index);
        Assert.Contains(reason, error.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"rssi":-89}""", "'id' is required")]
    [InlineData("""{"id":"","rssi":-89}""", "'id' is required")]
    [InlineData("""{"id":12,"rssi":-89}""", "'id' is required")]
    [InlineData("""{"id":"45:e1:74:12:6e:00"}""", "'rssi' is required")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":"-89"}""", "'rssi' must be a number")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-128}""", "'rssi' must be a number")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"distance":-3}""", "'distance' must be a number of metres")]
    [InlineData("""{"id":"1de4b189115e45f6b44e509352269977","rssi":-89,"mac":"60:87:57"}""", "'mac' must be a MAC address")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"model_id":["IBEACON"]}""", "'model_id' must be a string")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"manufacturerdata":"4c00zz"}""", "not valid hex")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"manufacturerdata":"4c00021"}""", "odd number of digits")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"manufacturerdata":"4c000215426c7565436861726d426561636f6e730efe1355"}""", "not a well-formed advertisement")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"model_id":"IBEACON","uuid":"1de4b189115e45f6b44e509352269977","minor":0}""", "'major' must be a whole number")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"model_id":"IBEACON","uuid":"1de4b189115e45f6b44e509352269977","major":65536,"minor":0}""", "'major' must be a whole number")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"model_id":"IBEACON","uuid":"1de4b189","major":0,"minor":0}""", "'uuid' must be a UUID")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"model_id":"IBEACON","uuid":"1de4b189115e45f6b44e509352269977","major":0,"minor":0,"txpower":"-66"}""", "'txpower' must be a whole number of dBm")]
    [InlineData("""{"id":"45:e1:74:12:6e:00","rssi":-89,"model_id":"IBEACON","uuid":"1de4b189115e45f6b44e509352269977","major":0,"minor":0,"manufacturerdata":"4c000215426c7565436861726d426561636f6e730efe1355c5"}""", "disagree")]
    public void A_wrong_field_is_an_error_on_the_message(string payload, string reason)
    {
        var result = OpenMqttGatewayDecoder.Decode(PresenceTopic, payload);

        Assert.Empty(result.Sightings);
        var error = Assert.Single(result.Errors);
        Assert.Equal(0, error.Index);
        Assert.Contains(reason, error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_bytes_decode_like_the_string()
    {
        var sighting = Assert.Single(OpenMqttGatewayDecoder.Decode(TheengsTopic, System.Text.Encoding.UTF8.GetBytes(TheengsPayload)).Sightings);

        Assert.Equal(BlueCharm, sighting.IBeacon);
    }
}
