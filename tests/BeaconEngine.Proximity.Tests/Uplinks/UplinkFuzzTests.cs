using System.Text;
using BeaconEngine.Proximity.Uplinks;

namespace BeaconEngine.Proximity.Tests.Uplinks;

/// <summary>
/// Seeded fuzzing: random text, random bytes and random edits of the real samples must never make a decoder throw,
/// and whatever comes out must still respect the model's ranges. A failure names its seed and iteration to replay it.
/// </summary>
public sealed class UplinkFuzzTests
{
    private const int Seed = 20_261_123;
    private const int Iterations = 1_500;

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-", ".", "e", "0", "1", "9", "65535", "65536", "-59", "-127", "1e400",
        "\"rssi\"", "\"mac\"", "\"rawData\"", "\"type\"", "\"Gateway\"", "\"iBeacon\"", "\"ibeaconUuid\"", "\"ibeaconMajor\"", "\"timestamp\"",
        "\"id\"", "\"rssi@1m\"", "\"distance\"", "\"model_id\"", "\"IBEACON\"", "\"uuid\"", "\"major\"", "\"manufacturerdata\"",
        "\"AC233FC0BC43\"", "\"4c000215\"", "\"0201061AFF4C000215\"", "$GPRP", "$RSPR", "$HBRP", "*", "\r\n", "\n", " ", "\0",
        "\uD800", "\uFFFF", "é", "0C61CFC1452E", "E7DAE08E6FC3", "1AFF4C000215", "1574921085", "iBeacon:", "/", "BTtoMQTT", "espresense/devices/",
    ];

    private static readonly string[] Topics =
    [
        EspresenseDecoderTests.Issue89Topic, EspresenseDecoderTests.IBeaconTopic, OpenMqttGatewayDecoderTests.PresenceTopic,
        OpenMqttGatewayDecoderTests.IBeaconTopic, OpenMqttGatewayDecoderTests.TheengsTopic, "home/gw/BTtoMQTT", string.Empty,
    ];

    private static readonly string[] Samples =
    [
        MinewJsonLongDecoderTests.G1Capture2022, MinewJsonLongDecoderTests.G1Capture2017, MinewJsonLongDecoderTests.G1Capture2019WithSensor,
        MinewJsonLongDecoderTests.Mg3MillisecondTimestamps, MinewJsonLongDecoderTests.IBeaconWithRawData, IngicsDecoderTests.Igs03ManualExamples,
        EspresenseDecoderTests.Issue89Payload, EspresenseDecoderTests.IBeaconPayload, OpenMqttGatewayDecoderTests.PresencePayload,
        OpenMqttGatewayDecoderTests.IBeaconPayload, OpenMqttGatewayDecoderTests.UuidIdPayload, OpenMqttGatewayDecoderTests.TheengsPayload,
    ];

    [Fact]
    public void Random_token_soup_never_throws()
    {
        var random = new Random(Seed);
        for (var i = 0; i < Iterations; i++)
        {
            var builder = new StringBuilder();
            var count = random.Next(0, 40);
            for (var t = 0; t < count; t++)
            {
                builder.Append(random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : Tokens[random.Next(Tokens.Length)]);
            }

            DecodeWithEveryDecoder(builder.ToString(), RandomTopic(random), $"token soup, seed {Seed}, iteration {i}");
        }
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(Seed + 1);
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            var context = $"random bytes, seed {Seed + 1}, iteration {i}";

            Check(MinewJsonLongDecoder.Decode(bytes), context);
            Check(IngicsDecoder.Decode(bytes), context);
            Check(EspresenseDecoder.Decode(RandomTopic(random), bytes), context);
            Check(OpenMqttGatewayDecoder.Decode(RandomTopic(random), bytes), context);
        }
    }

    [Fact]
    public void Random_edits_of_real_payloads_never_throw()
    {
        var random = new Random(Seed + 2);
        for (var i = 0; i < Iterations; i++)
        {
            var text = new StringBuilder(Samples[random.Next(Samples.Length)]);
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits && text.Length > 0; e++)
            {
                var at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0:
                        text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, Tokens[random.Next(Tokens.Length)]);
                        break;
                    case 2:
                        text[at] = (char)random.Next(0x20, 0x7F);
                        break;
                    default:
                        var length = Math.Min(random.Next(1, 40), text.Length - at);
                        text.Insert(random.Next(text.Length), text.ToString(at, length));
                        break;
                }
            }

            DecodeWithEveryDecoder(text.ToString(), RandomTopic(random), $"edited sample, seed {Seed + 2}, iteration {i}");
        }
    }

    private static string RandomTopic(Random random)
    {
        var topic = Topics[random.Next(Topics.Length)];
        return random.Next(3) == 0 && topic.Length > 0 ? topic.Remove(random.Next(topic.Length), 1) : topic;
    }

    private static void DecodeWithEveryDecoder(string payload, string topic, string context)
    {
        Check(MinewJsonLongDecoder.Decode(payload), context);
        Check(IngicsDecoder.Decode(payload), context);
        Check(EspresenseDecoder.Decode(topic, payload), context);
        Check(OpenMqttGatewayDecoder.Decode(topic, payload), context);
    }

    private static void Check(UplinkDecodeResult result, string context)
    {
        Assert.NotNull(result);
        foreach (var error in result.Errors)
        {
            Assert.True(error.Index >= UplinkError.WholePayload, context);
            Assert.False(string.IsNullOrWhiteSpace(error.Error), context);
        }

        foreach (var sighting in result.Sightings)
        {
            Assert.True(sighting.Rssi is >= UplinkLimits.MinDbm and <= UplinkLimits.MaxDbm, context);
            Assert.True(sighting.TxPower is null or (>= UplinkLimits.MinDbm and <= UplinkLimits.MaxDbm), context);
            Assert.True(sighting.DistanceMetres is null or >= 0, context);
        }
    }
}
