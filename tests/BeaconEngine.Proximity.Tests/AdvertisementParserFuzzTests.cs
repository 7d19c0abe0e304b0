using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Tests;

/// <summary>
/// Seeded random and mutated input: the parser must never throw, and its two entry points must agree, whatever a
/// gateway forwards. Seeds are fixed so a failure reproduces.
/// </summary>
public sealed class AdvertisementParserFuzzTests
{
    // Valid vectors from BeaconFrameParserTests and EddystoneFrameTests (sources cited there), used as seeds for mutation.
    private static readonly string[] Seeds =
    [
        "0201061AFF4C000215426C7565436861726D426561636F6E730EFE1355C509168020691E0EFE13551109426C7565436861726D5F31363936383500000000",
        "02011a1bff1801beac2f234454cf6d4a0fadf2f4911ba9ffa600050003be020e09526164426561636f6e20555342020a03",
        "0201060303AAFE1716AAFE00EE626C7565636861726D310000000000010000",
        "0201060303AAFE1716AAFE10EE01626C7565636861726D626561636F6E7300",
        "0201060303AAFE1116AAFE20000BF017000008874803FB9354",
        "1516AAFE2001112233445566778899aabbcc0123abcd",
        "0D16AAFE30001122334455667788",
    ];

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 301)];
            random.NextBytes(bytes);
            AssertConsistent(bytes);
        }
    }

    [Fact]
    public void Random_bytes_with_plausible_lengths_never_throw()
    {
        // Purely random bytes rarely get past the first length byte; small lengths and known AD types reach the decoders.
        byte[] types = [0x01, 0x02, 0x03, 0x08, 0x09, 0x0A, 0x16, 0xFF];
        var random = new Random(7);
        var outcomes = new Outcomes();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new List<byte>();
            var structures = random.Next(1, 6);
            for (var s = 0; s < structures; s++)
            {
                var length = random.Next(0, 30);
                bytes.Add((byte)length);
                if (length == 0)
                {
                    continue;
                }

                bytes.Add(types[random.Next(types.Length)]);
                var data = new byte[length - 1];
                random.NextBytes(data);
                if (data.Length >= 2 && random.Next(2) == 0)
                {
                    data[0] = 0xAA;
                    data[1] = 0xFE;
                    if (data.Length >= 3)
                    {
                        data[2] = (byte)(random.Next(5) << 4);
                    }
                }

                bytes.AddRange(data);
            }

            outcomes.Add(AssertConsistent([.. bytes]));
        }

        outcomes.AssertReachedTheDecoders();
    }

    [Fact]
    public void Mutated_valid_vectors_never_throw()
    {
        var random = new Random(42);
        var outcomes = new Outcomes();
        foreach (var seed in Seeds)
        {
            var original = TestHex.Bytes(seed);
            for (var i = 0; i < 2_000; i++)
            {
                var bytes = (byte[])original.Clone();
                switch (random.Next(3))
                {
                    case 0:
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                        break;
                    case 1:
                        Array.Resize(ref bytes, random.Next(bytes.Length));
                        break;
                    default:
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                        break;
                }

                outcomes.Add(AssertConsistent(bytes));
            }
        }

        outcomes.AssertReachedTheDecoders();
    }

    [Fact]
    public void Reading_an_ibeacon_does_not_allocate()
    {
        var bytes = TestHex.Bytes(Seeds[0]);
        AdvertisementParser.TryReadIBeacon(bytes, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            AdvertisementParser.TryReadIBeacon(bytes, out _, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    /// <summary>
    /// Neither entry point throws; <see cref="AdvertisementParser.Parse"/> is the stricter reading, so whenever it
    /// accepts, <see cref="AdvertisementParser.TryReadIBeacon"/> accepts too and finds the same first iBeacon.
    /// </summary>
    private static ParsedAdvertisement AssertConsistent(byte[] bytes)
    {
        var ad = AdvertisementParser.Parse(bytes);
        var result = AdvertisementParser.TryReadIBeacon(bytes, out var frame, out var error);

        if (!ad.IsValid)
        {
            Assert.False(string.IsNullOrWhiteSpace(ad.Error));
            Assert.Empty(ad.Frames);
            return ad;
        }

        var first = ad.Frames.OfType<BeaconFrame.IBeacon>().FirstOrDefault();
        if (first is null)
        {
            Assert.Equal(AdvertisementResult.NotIBeacon, result);
        }
        else
        {
            Assert.Equal(AdvertisementResult.Ok, result);
            Assert.Equal(first.Frame, frame);
        }

        Assert.Null(error);
        return ad;
    }

    /// <summary>Counts what the fuzzer produced, so a generator that only ever trips the length check fails loudly.</summary>
    private sealed class Outcomes
    {
        private readonly HashSet<BeaconFrameKind> _kinds = [];
        private int _rejectedByDecoder;

        public void Add(ParsedAdvertisement ad)
        {
            foreach (var frame in ad.Frames)
            {
                _kinds.Add(frame.Kind);
            }

            if (ad.Error is { } error && !error.StartsWith("AD structure", StringComparison.Ordinal))
            {
                _rejectedByDecoder++;
            }
        }

        public void AssertReachedTheDecoders()
        {
            Assert.NotEmpty(_kinds);
            Assert.True(_rejectedByDecoder > 0, "no input was rejected by a frame decoder");
        }
    }
}
